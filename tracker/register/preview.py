"""The preview of an entry, laid out the way the public register shows one: the name,
organisation and short description on top, the key facts beside them, then the long
fields in the register's sections. HTML fields are cleaned to the tags the standard
allows for them (a draft may hold anything)."""

from dataclasses import dataclass

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tracker.register.entry import EntryState, FieldState

FACTS = (
    "organization",
    "status",
    "publication_category",
    "category",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "url",
)
# The public register's sections; a field of the standard not named here goes last.
SECTIONS = (
    ("Verantwoord gebruik", ("goal", "proportionality", "human_intervention", "risks")),
    (
        "Juridische grondslag en impacttoetsen",
        (
            "lawful_basis",
            "lawful_basis_grouping",
            "process_index_url",
            "impacttoetsen",
            "impacttoetsen_grouping",
        ),
    ),
    ("Werking", ("source_data", "source_data_grouping", "methods_and_models", "provider")),
    (
        "Metagegevens",
        ("publiccode", "tags", "lang", "standard_version", "source_id", "lars", "publication_dt"),
    ),
)
TOP = ("name", "description_short")


def render_value(field_state: FieldState) -> SafeString:
    one, value = field_state.field, field_state.value
    if value is None:
        return mark_safe("")
    if one.is_grouping:
        rows = []
        for row in value:
            if not isinstance(row, dict):
                continue
            title, link = escape(row.get("title") or ""), row.get("link") or ""
            if link.startswith(("https://", "http://")):
                rows.append(f'<li><a class="utrecht-link" href="{escape(link)}">{title}</a></li>')
            else:
                rows.append(f"<li>{title}</li>")
        return mark_safe('<ul class="utrecht-unordered-list">' + "".join(rows) + "</ul>")
    if isinstance(value, list):
        return mark_safe(escape(", ".join(str(v) for v in value)))
    if one.is_html:
        return mark_safe(nh3.clean(str(value), tags=set(one.allowed_html_tags), attributes={}))
    return mark_safe(escape(str(value)))


@dataclass(frozen=True)
class Shown:
    title: str
    html: SafeString
    name: str


def _shown(field_state: FieldState) -> Shown:
    return Shown(field_state.field.title, render_value(field_state), field_state.name)


def preview(state: EntryState) -> dict:
    by_name = {field_state.name: field_state for field_state in state.fields}
    placed = set(TOP) | set(FACTS)
    sections = []
    for title, names in SECTIONS:
        rows = [_shown(by_name[name]) for name in names if name in by_name]
        placed |= set(names)
        sections.append((title, [row for row in rows if row.html]))
    rest = [_shown(f) for name, f in by_name.items() if name not in placed]
    if rest:
        sections.append(("Overige velden", [row for row in rest if row.html]))
    return {
        "name": _shown(by_name["name"]) if "name" in by_name else None,
        "summary": _shown(by_name["description_short"]) if "description_short" in by_name else None,
        "facts": [_shown(by_name[name]) for name in FACTS if name in by_name],
        "sections": [(title, rows) for title, rows in sections if rows],
    }
