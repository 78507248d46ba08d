"""The release's reference files beside its pages: the glossary's abbreviations and law
names, the ARK/ADR audit-norm table and a content pack's manifest."""

import ast
import csv
import io
import re
from dataclasses import dataclass

from tracker.catalog.parsing import ContentError, Warn, decode, json_safe, load_yaml, text_field

AUDIT_FRAMEWORKS = ("ARK", "ADR")
MAX_CSV_CELL = 20_000
_ABBREVIATION = re.compile(r"^\*\[([^\]]+)\]:\s*(.+?)\s*$", re.MULTILINE)


@dataclass
class ParsedNorm:
    framework: str
    number: str
    urns: list[str]


@dataclass
class PackManifest:
    label: str
    title: str


def parse_abbreviations(path: str, data: bytes) -> dict[str, str]:
    """The glossary ``*[term]: explanation`` lines as {term: explanation}, as written:
    the abbreviations that upstream's site shows as tooltips on every page."""
    found: dict[str, str] = {}
    for key, text in _ABBREVIATION.findall(decode(path, data)):
        found.setdefault(key.strip()[:200], text.strip()[:2000])
    return found


def parse_law_names(path: str, data: bytes) -> dict[str, str]:
    """Abbreviation lines ``*[AVG]: Algemene verordening ...`` -> {"avg": "Algemene ..."}."""
    names: dict[str, str] = {}
    for key, name in _ABBREVIATION.findall(decode(path, data)):
        names.setdefault(key.strip().lower(), name.strip().rstrip(".").strip()[:300])
    return names


def parse_audit_norms(path: str, data: bytes, warn: Warn) -> list[ParsedNorm]:
    """Rows of relatie-ak-tot-toetsingskaders.csv: nummer, bron, maatregelen-ak."""
    reader = csv.DictReader(io.StringIO(decode(path, data), newline=""))
    for column in ("nummer", "bron", "maatregelen-ak"):
        if column not in (reader.fieldnames or []):
            raise ContentError(path, column, "missing column")
    norms: dict[tuple[str, str], ParsedNorm] = {}
    for row in reader:
        line = reader.line_num
        number = (row.get("nummer") or "").strip()
        framework = (row.get("bron") or "").strip().upper()
        if not number or len(number) > 30:
            raise ContentError(path, "nummer", f"line {line}: expected a norm number")
        if framework not in AUDIT_FRAMEWORKS:
            raise ContentError(path, "bron", f"line {line}: expected ARK or ADR, got {framework!r}")
        urns = _urn_list(path, line, row.get("maatregelen-ak") or "")
        key = (framework, number)
        if key in norms:
            warn(path, f"line {line}: norm {framework} {number} appears twice; merged")
            norms[key].urns.extend(u for u in urns if u not in norms[key].urns)
        else:
            norms[key] = ParsedNorm(framework=framework, number=number, urns=urns)
    return list(norms.values())


def _urn_list(path: str, line: int, cell: str) -> list[str]:
    """A Python-list literal of URNs, read with ast.literal_eval (never eval)."""
    cell = cell.strip()
    if not cell:
        return []
    if len(cell) > MAX_CSV_CELL:
        raise ContentError(path, "maatregelen-ak", f"line {line}: value too long")
    try:
        value = ast.literal_eval(cell)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ContentError(
            path, "maatregelen-ak", f"line {line}: expected a list of URNs like ['urn:...']"
        ) from exc
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ContentError(path, "maatregelen-ak", f"line {line}: expected a list of URNs")
    return list(dict.fromkeys(v.strip() for v in value if v.strip()))


def parse_pack_manifest(path: str, data: bytes) -> PackManifest:
    value = load_yaml(path, decode(path, data))
    if not isinstance(value, dict):
        raise ContentError(path, None, "expected a mapping with at least 'label'")
    value = json_safe(path, value, set())
    label = text_field(path, value, "label", required=True)
    if len(label) > 100:
        raise ContentError(path, "label", "longer than 100 characters")
    return PackManifest(label=label, title=text_field(path, value, "title", required=False))
