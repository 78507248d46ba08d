"""The import graph of ``tracker/``, read from the source (ast): imports point one way,
from the views down to the catalog, as "Layers" in the README describes.

Every module belongs to a component: its subpackage (``tracker/checklist/`` ->
``checklist``, ``tracker/web/checklist/views.py`` -> ``web``), or its top-level module
(``tracker/access.py`` -> ``access``); the modules Django loads by name (``admin``,
``apps``, ``middleware``, ...) form the ``entry`` component. A
component may import itself and components of lower layers only; there is no cycle
between components. Imports inside functions count as well.
"""

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
WEB = "web"
# Entry points: the top-level modules Django and manage.py load. Views and URL
# configurations live in ``tracker/web/`` only; no domain package holds one.
ENTRY = "entry"
ENTRY_MODULES = {"admin", "apps", "middleware", "busy", "models", "demo"}
ENTRY_PACKAGES = {"demo"}  # the demo data: a package of entry modules

# Bottom to top. Components in one layer do not import each other.
LAYERS: list[set[str]] = [
    {"http", "organisations", "accounts"},
    {"catalog"},
    {"applicability"},
    {"audit"},
    {"algorithms"},
    {"checklist"},  # with registering an algorithm and changing its profile (they sync it)
    {"evidence", "risks"},
    {"gates"},
    {"decisions"},
    {"pilots"},  # a pilot ends with a decision at the pilot gate
    {"register", "decision_aid"},  # shown by dashboards and exports
    {"dashboards", "exports"},
    {"access"},
    {"pages"},
    {WEB, "templatetags"},  # views and URL configurations; template tags
    {ENTRY},  # the top-level modules Django loads, and the demo data
    {"management"},  # manage.py commands
]
RANK = {component: rank for rank, layer in enumerate(LAYERS) for component in layer}


def component(module: str) -> str | None:
    """The component of a dotted module name under ``tracker``, or None (outside)."""
    parts = module.split(".")
    if parts[0] != "tracker" or len(parts) < 2:
        return None
    if parts[1] in ENTRY_PACKAGES or (len(parts) == 2 and parts[1] in ENTRY_MODULES):
        return ENTRY
    return parts[1]


def module_name(path: Path) -> str:
    relative = path.relative_to(TRACKER.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """(module, line) for every import in the file, relative ones resolved."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # ``from tracker.checklist import sync`` imports tracker.checklist.sync.
            found += [(f"{origin}.{alias.name}", node.lineno) for alias in node.names]
    return found


def source_files() -> list[Path]:
    """Every module of the app; migrations are generated and only name models."""
    return [path for path in sorted(TRACKER.rglob("*.py")) if "migrations" not in path.parts]


@cache
def import_edges() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) component -> where ("tracker/x/y.py:12")."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in source_files():
        source = component(module_name(path))
        for imported, line in imported_modules(path):
            target = component(imported)
            if target is None:
                continue
            if target not in RANK and target != source:
                # ``from tracker import views``: the name is the component itself.
                target = component(imported.rpartition(".")[0]) or target
            if target != source:
                where = f"{path.relative_to(TRACKER.parent)}:{line}"
                edges[source, target].append(where)
    return edges


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_component_has_a_layer():
    components = {component(module_name(path)) for path in source_files()}
    components -= {None}
    unplaced = sorted(components - set(RANK))
    assert not unplaced, f"add {unplaced} to LAYERS in {__file__} and to the README's layers"


def test_no_cycle_between_components():
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in import_edges():
        graph[source].add(target)
    found = cycles(graph)
    assert found == [], f"import cycles between components: {found}"


def test_imports_point_down_the_layers():
    upward = [
        f"{source} -> {target}: {', '.join(sorted(set(where)))}"
        for (source, target), where in sorted(import_edges().items())
        if target in RANK and RANK.get(source, len(LAYERS)) <= RANK[target]
    ]
    assert upward == [], "\n".join(upward)


def test_the_graph_is_read_from_the_source():
    """The checks above are not vacuous: known imports are found, views are web."""
    edges = import_edges()
    assert ("pages", "checklist") in edges
    assert (WEB, "pages") in edges
    assert ("checklist", "algorithms") in edges
    # ``from tracker.checklist import sync`` imports the module, not the package.
    imported = [name for name, _ in imported_modules(TRACKER / "checklist" / "profile.py")]
    assert "tracker.checklist.sync" in imported
    assert component("tracker.web.checklist.views") == WEB
    assert component("tracker.web.algorithms.member_views") == WEB
    assert component("tracker.checklist.progress") == "checklist"


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_views_and_url_configurations_live_in_the_web_layer_only():
    """A domain package holds no view or URL configuration: they import the pages and
    the domains above it, so one inside a domain package would close a cycle."""
    misplaced = [
        str(path.relative_to(TRACKER.parent))
        for path in source_files()
        if (path.stem in {"views", "urls"} or path.stem.endswith(("_views", "_urls")))
        and component(module_name(path)) not in {WEB, "management"}
    ]
    assert misplaced == []
