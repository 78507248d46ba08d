"""Read a release folder into an in-memory plan of what to write (no database here).

Two steps, so that an unchanged re-import stays cheap:

1. ``read_files`` reads the bytes of every file the importer uses and hashes them;
2. ``build_plan`` parses and validates them, resolves links by file slug within the
   release (never by URN alone) and collects the warnings.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tracker.catalog.parsing import (
    ContentError,
    ParsedItem,
    ParsedPage,
    Warn,
    parse_item,
    parse_page,
    readable,
)
from tracker.catalog.reference_files import (
    PackManifest,
    parse_abbreviations,
    parse_audit_norms,
    parse_law_names,
    parse_pack_manifest,
)
from tracker.catalog.sources import PACK_MARKER

RULES = "docs/voldoen-aan-wetten-en-regels"
ITEM_FOLDERS = {  # CatalogItem.Kind value -> folder
    "requirement": f"{RULES}/vereisten",
    "measure": f"{RULES}/maatregelen",
    "instrument": f"{RULES}/hulpmiddelen",
    "criterion": f"{RULES}/criteria",
}
ITEM_NAMES = {  # Dutch plural for progress and summary lines
    "requirement": "vereisten",
    "measure": "maatregelen",
    "instrument": "hulpmiddelen",
    "criterion": "criteria",
}
TAXON_FOLDERS = {"phase": "docs/levenscyclus", "topic": "docs/onderwerpen", "role": "docs/rollen"}
TAXON_NAMES = {"phase": "phase", "topic": "topic", "role": "role"}
NOT_PAGES = {"index.md", "over-de-levenscyclus.md"}
GLOSSARY = "includes/begrippenlijst.md"
AUDIT_CSV = "relatie-ak-tot-toetsingskaders.csv"
PHASE_ORDER = [
    "probleemanalyse",
    "ontwerp",
    "dataverkenning-en-datapreparatie",
    "ontwikkelen",
    "verificatie-en-validatie",
    "implementatie",
    "monitoring-en-beheer",
    "uitfaseren",
    "organisatieverantwoordelijkheden",
]


@dataclass
class SourceFiles:
    """The bytes of every file the importer reads, by path relative to the root."""

    files: dict[str, bytes]
    is_pack: bool

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256(b"pack\n" if self.is_pack else b"algoritmekader\n")
        for path in sorted(self.files):
            data = self.files[path]
            digest.update(f"{path}\n{len(data)}\n".encode())
            digest.update(data)
        return digest.hexdigest()

    def in_folder(self, folder: str) -> list[str]:
        prefix = folder + "/"
        return sorted(p for p in self.files if p.startswith(prefix))


def read_files(root: Path, *, is_pack: bool) -> SourceFiles:
    """Read the files the import uses; symbolic links are refused."""
    paths: list[Path] = []
    for folder in [*TAXON_FOLDERS.values(), *ITEM_FOLDERS.values()]:
        directory = root / folder
        if directory.is_symlink():
            raise ContentError(folder, None, "is a symbolic link; refused")
        if directory.is_dir():
            paths.extend(p for p in directory.glob("*.md") if p.name not in NOT_PAGES)
    for single in (GLOSSARY, AUDIT_CSV, PACK_MARKER):
        if (root / single).exists() or (root / single).is_symlink():
            paths.append(root / single)
    files: dict[str, bytes] = {}
    for path in paths:
        relative = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            raise ContentError(relative, None, "not a regular file (links are refused)")
        files[relative] = path.read_bytes()
    return SourceFiles(files=files, is_pack=is_pack)


@dataclass
class PlannedTaxon:
    kind: str
    slug: str
    title: str
    position: int
    body: str


@dataclass
class PlannedNorm:
    framework: str
    number: str
    items: list[int]  # indexes into ReleasePlan.items


@dataclass
class ReleasePlan:
    is_pack: bool
    content_hash: str
    manifest: PackManifest | None
    items: list[ParsedItem] = field(default_factory=list)
    taxa: list[PlannedTaxon] = field(default_factory=list)
    laws: dict[str, str] = field(default_factory=dict)  # code -> name
    links: list[tuple[int, int]] = field(default_factory=list)  # (from, to) item indexes
    norms: list[PlannedNorm] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)  # glossary term -> text

    def counts(self) -> dict[str, int]:
        kinds = Counter(item.kind for item in self.items)
        taxa = Counter(taxon.kind for taxon in self.taxa)
        return {
            **{kind: kinds.get(kind, 0) for kind in ITEM_FOLDERS},
            **{kind: taxa.get(kind, 0) for kind in TAXON_FOLDERS},
            "law": len(self.laws),
            "norm": len(self.norms),
            "link": len(self.links),
            "warning": len(self.warnings),
        }


def build_plan(files: SourceFiles, *, warn: Warn, progress: Callable[[str], None]) -> ReleasePlan:
    """Parse and validate everything; ContentError on the first unusable file."""
    warnings: list[str] = []

    def collect(path: str, message: str) -> None:
        warnings.append(f"{path}: {message}")
        warn(path, message)

    manifest = None
    if files.is_pack and PACK_MARKER in files.files:
        manifest = parse_pack_manifest(PACK_MARKER, files.files[PACK_MARKER])
    plan = ReleasePlan(files.is_pack, files.content_hash, manifest, warnings=warnings)
    plan.abbreviations = glossary_of(files)
    pages = {kind: _read_pages(files, folder) for kind, folder in TAXON_FOLDERS.items()}
    for kind, folder in ITEM_FOLDERS.items():
        paths = files.in_folder(folder)
        if paths:
            progress(f"reading {len(paths)} {ITEM_NAMES[kind]}…")
        needs_id = kind != "instrument"
        for path in paths:
            fingerprint = hashlib.sha256(files.files[path]).hexdigest()
            plan.items.append(
                parse_item(
                    kind, path, files.files[path], fingerprint, needs_id=needs_id, warn=collect
                )
            )
    _report_duplicate_urns(plan.items, collect)
    plan.taxa = _plan_taxa(plan.items, pages, collect)
    plan.laws = _plan_laws(plan.items, files, collect)
    if not files.is_pack:  # a pack's links point into the Algoritmekader: kept in front_matter
        plan.links = _plan_links(plan.items, collect)
    if AUDIT_CSV in files.files:
        progress(f"reading {AUDIT_CSV}…")
        plan.norms = _plan_norms(plan.items, files.files[AUDIT_CSV], collect)
    return plan


def _read_pages(files: SourceFiles, folder: str) -> dict[str, ParsedPage]:
    pages = (parse_page(path, files.files[path]) for path in files.in_folder(folder))
    return {page.slug: page for page in pages}


def _report_duplicate_urns(items: list[ParsedItem], warn: Warn) -> None:
    first_by_urn: dict[str, ParsedItem] = {}
    for item in items:
        if not item.urn:
            continue
        first = first_by_urn.setdefault(item.urn, item)
        if first is not item:
            warn(
                item.path,
                f"URN {item.urn} is also carried by {first.path}; imported as two distinct items",
            )


def _plan_taxa(
    items: list[ParsedItem], pages: dict[str, dict[str, ParsedPage]], warn: Warn
) -> list[PlannedTaxon]:
    used: dict[str, Counter] = {kind: Counter() for kind in TAXON_FOLDERS}
    for item in items:
        used["phase"].update(item.phases)
        used["topic"].update(item.topics)
        used["role"].update(item.roles)
    taxa: list[PlannedTaxon] = []
    for kind, folder in TAXON_FOLDERS.items():
        for slug, count in sorted(used[kind].items()):
            if slug in pages[kind]:
                continue
            if len(slug) > 100:
                raise ContentError(folder, None, f"{kind} slug {slug[:40]!r}… is too long")
            title = readable(slug)
            pages[kind][slug] = ParsedPage(slug=slug, path="", title=title, body="")
            warn(
                f"{folder}/{slug}.md",
                f"no such page; {TAXON_NAMES[kind]} '{slug}' (used by {count} "
                f"item{'' if count == 1 else 's'}) gets the title '{title}'",
            )
        for slug, page in pages[kind].items():
            taxa.append(PlannedTaxon(kind, slug, page.title, 0, page.body))
    phases = [t for t in taxa if t.kind == "phase"]
    unknown = sorted(t.slug for t in phases if t.slug not in PHASE_ORDER)
    for taxon in phases:
        known = taxon.slug in PHASE_ORDER
        taxon.position = (
            PHASE_ORDER.index(taxon.slug) if known else len(PHASE_ORDER) + unknown.index(taxon.slug)
        )
    return taxa


def glossary_of(files: SourceFiles) -> dict[str, str]:
    """The release's glossary (includes/begrippenlijst.md), or {} without one."""
    if GLOSSARY not in files.files:
        return {}
    return parse_abbreviations(GLOSSARY, files.files[GLOSSARY])


def _plan_laws(items: list[ParsedItem], files: SourceFiles, warn: Warn) -> dict[str, str]:
    names = parse_law_names(GLOSSARY, files.files[GLOSSARY]) if GLOSSARY in files.files else {}
    laws: dict[str, str] = {}
    for item in items:
        if item.kind != "requirement" or not item.code:
            continue
        code = item.code.split("-", 1)[0].lower()
        if code in laws:
            continue
        if len(code) > 20:
            raise ContentError(item.path, "id", f"law code {code!r} longer than 20 characters")
        if code in names:
            laws[code] = names[code]
        else:
            laws[code] = code.upper()
            warn(GLOSSARY, f"no name for law code '{code}'; using '{code.upper()}'")
    return laws


def _plan_links(items: list[ParsedItem], warn: Warn) -> list[tuple[int, int]]:
    index = {(item.kind, item.slug): n for n, item in enumerate(items)}
    links: dict[tuple[int, int], None] = {}  # ordered, without repeats
    for n, item in enumerate(items):
        if item.kind not in ("measure", "instrument"):
            continue
        targets = [("vereiste", "requirement", slug) for slug in item.requirement_slugs]
        if item.kind == "instrument":
            targets += [("maatregel", "measure", slug) for slug in item.measure_slugs]
        for field_name, kind, slug in targets:
            target = index.get((kind, slug))
            if target is None:
                warn(item.path, f"field '{field_name}': no {field_name} '{slug}' in this release")
            else:
                links[(n, target)] = None
    return list(links)


def _plan_norms(items: list[ParsedItem], data: bytes, warn: Warn) -> list[PlannedNorm]:
    by_urn: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        if item.kind == "measure" and item.urn:
            by_urn[item.urn].append(n)
    norms: list[PlannedNorm] = []
    for parsed in parse_audit_norms(AUDIT_CSV, data, warn):
        targets: list[int] = []
        for urn in parsed.urns:
            found = by_urn.get(urn, [])
            if not found:
                warn(AUDIT_CSV, f"{parsed.framework} {parsed.number}: no maatregel with URN {urn}")
            elif len(found) > 1:
                paths = ", ".join(items[i].path for i in found)
                warn(
                    AUDIT_CSV,
                    f"{parsed.framework} {parsed.number}: URN {urn} is carried by {len(found)} "
                    f"maatregelen ({paths}); mapped to all of them",
                )
            targets.extend(i for i in found if i not in targets)
        norms.append(PlannedNorm(parsed.framework, parsed.number, targets))
    return norms
