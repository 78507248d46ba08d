"""Read and validate content files into plain dataclasses (no database here).

Front matter is split off by python-frontmatter (its YAML handler, with the
delimiter lines the content uses) and read with the safe loader, with one change:
numbers with a decimal point stay text, so an audit reference like ``ARK: 3.10`` is
not turned into the float ``3.1``. Every problem that makes a file unusable raises
ContentError naming the file and the field; tolerable flaws (an empty list
entry) are reported through the ``warn(path, message)`` callback.
"""

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import frontmatter
import yaml

from tracker.catalog.import_errors import ImportFailure

Warn = Callable[[str, str], None]

LABEL_DIMENSIONS = (
    "soort-toepassing",
    "risicogroep",
    "rol-ai-act",
    "transparantieverplichting",
    "systeemrisico",
    "open-source",
)
LIST_FIELDS = (
    "levenscyclus",
    "onderwerp",
    "rollen",
    "vereiste",
    "maatregel",
    "uitzondering",
    "categorie",
    "verplicht-bij",
    "publicatiecategorie",
    *LABEL_DIMENSIONS,
)
# Older releases (v2.0) name the risk group `publicatiecategorie`; the current key wins.
LEGACY_DIMENSIONS = {"publicatiecategorie": "risicogroep"}
MAX_LENGTHS = {"id": 100, "title": 500, "slug": 200, "path": 300, "code": 30}

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENING = re.compile(r"---[ \t]*\r?\n")
_HEADING = re.compile(r"^# +(.+?)\s*$", re.MULTILINE)


class _ContentLoader(_BaseLoader):
    """The safe loader, minus implicit floats (``3.10`` stays ``"3.10"``)."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:float"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


class ContentError(ImportFailure):
    """A content file is unusable; names the file and, where it applies, the field."""

    def __init__(self, path: str, field: str | None, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message
        where = f"{path}: field '{field}'" if field else path
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedPage:
    """A phase, topic or role page."""

    slug: str
    path: str
    title: str
    body: str


@dataclass
class ParsedItem:
    """A vereiste, maatregel, hulpmiddel or criterion file."""

    kind: str
    slug: str
    path: str
    fingerprint: str
    urn: str
    code: str
    title: str
    summary: str
    body: str
    front_matter: dict
    labels: dict[str, list[str]] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)
    phases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    requirement_slugs: list[str] = field(default_factory=list)
    measure_slugs: list[str] = field(default_factory=list)


# --- text and front matter ------------------------------------------------------------


def decode(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            path, None, f"not UTF-8 text (invalid byte at offset {exc.start})"
        ) from exc
    return text.removeprefix("\ufeff")


def load_yaml(path: str, text: str, first_line: int = 1) -> object:
    try:
        return yaml.load(text, Loader=_ContentLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + first_line}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(path, None, f"malformed YAML{where}: {problem}") from exc
    except RecursionError as exc:
        raise ContentError(path, None, "malformed YAML: nested too deeply") from exc


class _FrontMatter(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler with the content's rules: the file opens with a
    ``---`` line (no leading blank lines), a delimiter is exactly ``---`` (trailing blanks
    allowed), and the YAML is read by ``load_yaml`` (safe loader, errors that name the
    file and the line)."""

    FM_BOUNDARY = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def detect(self, text: str) -> bool:
        return _OPENING.match(text) is not None

    def load(self, fm: str, **kwargs: object) -> object:
        # ``fm`` starts with the newline that ends the opening line: its line 1 is line 1.
        return load_yaml(self.path, fm, first_line=1)


def split_front_matter(path: str, text: str) -> tuple[dict, str]:
    """The front matter as a JSON-safe dict, and the markdown body.

    Not ``frontmatter.parse()``: it strips the body and ignores an unclosed or
    non-mapping front matter, where the importer reports the file instead."""
    handler = _FrontMatter(path)
    if not handler.detect(text):
        return {}, text
    try:
        fm, body = handler.split(text)
    except ValueError:  # one delimiter only
        raise ContentError(path, None, "the front matter (opened by ---) is never closed") from None
    data = handler.load(fm)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(path, None, "the front matter is not a mapping of fields")
    # The body starts after the closing line (the split leaves its newline).
    return json_safe(path, data, set()), body.removeprefix("\n")


def json_safe(path: str, value: object, seen: set[int]) -> object:
    """Dates to ISO strings, keys to strings; YAML aliases (shared nodes) refused,
    so that a small hostile file cannot expand into a huge one."""
    if isinstance(value, dict | list | tuple | set):
        if id(value) in seen:
            raise ContentError(path, None, "YAML anchors and aliases are not supported")
        seen.add(id(value))
        if isinstance(value, dict):
            return {str(k): json_safe(path, v, seen) for k, v in value.items()}
        return [json_safe(path, v, seen) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# --- field validation -------------------------------------------------------------


def text_field(path: str, fm: dict, name: str, *, required: bool) -> str:
    value = fm.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ContentError(path, name, "missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ContentError(path, name, f"expected text, got {_type_name(value)}")
    text = str(value).strip()
    limit = MAX_LENGTHS.get(name)
    if limit and len(text) > limit:
        raise ContentError(path, name, f"longer than {limit} characters")
    return text


def list_field(path: str, fm: dict, name: str, warn: Warn) -> list[str]:
    """A list of text values; absent or empty -> []; empty entries skipped with a warning."""
    value = fm.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContentError(path, name, f"expected a list, got {_type_name(value)}")
    result: list[str] = []
    empty = 0
    for entry in value:
        if entry is None or (isinstance(entry, str) and not entry.strip()):
            empty += 1
            continue
        if isinstance(entry, bool) or not isinstance(entry, str | int | float):
            raise ContentError(path, name, f"expected a list of text values, got {entry!r}")
        text = str(entry).strip()
        if text not in result:
            result.append(text)
    if empty:
        warn(path, f"field '{name}': {empty} empty list entr{'y' if empty == 1 else 'ies'} skipped")
    return result


def sources_field(path: str, fm: dict) -> dict[str, list[str]]:
    """``sources: {ARK: 3.07, ADR: [DM.3]}`` -> ``{"ARK": ["3.07"], "ADR": ["DM.3"]}``."""
    value = fm.get("sources")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError(path, "sources", f"expected a mapping, got {_type_name(value)}")
    result: dict[str, list[str]] = {}
    for key, refs in value.items():
        entries = refs if isinstance(refs, list) else [refs]
        for entry in entries:
            if isinstance(entry, dict | list):
                raise ContentError(path, "sources", f"{key}: expected references, got {entry!r}")
        result[str(key)] = [str(e).strip() for e in entries if e is not None and str(e).strip()]
    return result


def _type_name(value: object) -> str:
    return {str: "a string", dict: "a mapping", list: "a list", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )


# --- files ------------------------------------------------------------------------


def labels_of(lists: dict[str, list[str]]) -> dict[str, list[str]]:
    """The AI Act label dimensions of an item, legacy names mapped to current ones."""
    labels = {dim: lists[dim] for dim in LABEL_DIMENSIONS if dim in lists}
    for legacy, current in LEGACY_DIMENSIONS.items():
        if legacy in lists and current not in labels:
            labels[current] = lists[legacy]
    return labels


def parse_item(
    kind: str, path: str, data: bytes, fingerprint: str, *, needs_id: bool, warn: Warn
) -> ParsedItem:
    fm, body = split_front_matter(path, decode(path, data))
    slug = path.rsplit("/", 1)[-1].removesuffix(".md")
    if len(slug) > MAX_LENGTHS["slug"] or len(path) > MAX_LENGTHS["path"]:
        raise ContentError(path, None, "file name too long")
    urn = text_field(path, fm, "id", required=needs_id)
    code = urn.rsplit(":", 1)[-1] if urn else ""
    if len(code) > MAX_LENGTHS["code"]:
        raise ContentError(path, "id", f"code {code!r} longer than {MAX_LENGTHS['code']}")
    lists = {name: list_field(path, fm, name, warn) for name in LIST_FIELDS if name in fm}
    return ParsedItem(
        kind=kind,
        slug=slug,
        path=path,
        fingerprint=fingerprint,
        urn=urn,
        code=code,
        title=text_field(path, fm, "title", required=True),
        summary=text_field(path, fm, "toelichting", required=False),
        body=body,
        front_matter=fm,
        labels=labels_of(lists),
        exceptions=lists.get("uitzondering", []),
        sources=sources_field(path, fm),
        phases=lists.get("levenscyclus", []),
        topics=lists.get("onderwerp", []),
        roles=lists.get("rollen", []),
        requirement_slugs=lists.get("vereiste", []),
        measure_slugs=lists.get("maatregel", []),
    )


def parse_page(path: str, data: bytes) -> ParsedPage:
    """A phase/topic/role page; title from front matter, else the first ``# `` heading."""
    fm, body = split_front_matter(path, decode(path, data))
    slug = path.rsplit("/", 1)[-1].removesuffix(".md")
    if len(slug) > 100:
        raise ContentError(path, None, "file name too long")
    title = text_field(path, fm, "title", required=False)
    if not title:
        heading = _HEADING.search(body)
        title = heading.group(1).strip() if heading else readable(slug)
    return ParsedPage(slug=slug, path=path, title=title[:300], body=body)


def readable(slug: str) -> str:
    """``menselijke-controle`` -> ``Menselijke controle``."""
    return slug.replace("-", " ").strip().capitalize() or slug
