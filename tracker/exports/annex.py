"""The dossier's annex: audit-framework norms (Algemene Rekenkamer, Auditdienst Rijk)
mapped to the algorithm's checklist items and their status.

Two sources, combined per norm (framework + number):

- ``relatie-csv``: the release's AuditNorm rows (from ``relatie-ak-tot-toetsingskaders.csv``),
  each naming maatregelen of that release;
- ``sources``: the ``sources`` front matter of the items themselves
  (``{ARK: [3.07], ADR: [DM.3, DM.10]}``), also for items of another release.

Every norm of the release is listed, also one no checklist item covers (an auditor
wants to see the gaps); norms named only in front matter are added. Two queries.
"""

import re

from django.db.models import Prefetch

from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease
from tracker.checklist.models import ChecklistItem

VIA_CSV = "relatie-csv"
VIA_SOURCES = "sources"
FRAMEWORK_LABELS = dict(AuditNorm.Framework.choices)
FRAMEWORK_ORDER = {"ARK": 0, "ADR": 1}
_PARTS = re.compile(r"(\d+)")


def natural_key(number: str) -> tuple:
    """ "DM.3" before "DM.10", "1.04" before "3.07"."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in _PARTS.split(number))


def norm_label(framework: str, number: str) -> str:
    return f"{framework} {number}"


def norm_annex(
    release: ContentRelease, loaded: list[ChecklistItem], items: list[dict]
) -> list[dict]:
    """The norms with the items that address them; fills each item dict's ``norms``."""
    by_catalog = {item["catalog_item_id"]: item for item in items}
    norms: dict[tuple[str, str], dict] = {}

    def norm(framework: str, number: str, in_release: bool) -> dict:
        key = (framework, number)
        if key not in norms:
            norms[key] = {
                "framework": framework,
                "framework_label": FRAMEWORK_LABELS.get(framework, framework),
                "number": number,
                "in_release": in_release,
                "items": [],
            }
        norms[key]["in_release"] = norms[key]["in_release"] or in_release
        return norms[key]

    rows_of: dict[tuple[str, str], dict[int, dict]] = {}  # norm -> item id -> its row

    def link(entry: dict, item: dict, via: str) -> None:
        rows = rows_of.setdefault((entry["framework"], entry["number"]), {})
        if (row := rows.get(item["id"])) is not None:
            if via not in row["via"]:
                row["via"].append(via)
            return
        rows[item["id"]] = row = {
            "item_id": item["id"],
            "code": item["code"],
            "urn": item["urn"],
            "title": item["title"],
            "status": item["status"],
            "status_label": item["status_label"],
            "retired": item["retired"],
            "via": [via],
        }
        entry["items"].append(row)
        label = norm_label(entry["framework"], entry["number"])
        if label not in item["norms"]:
            item["norms"].append(label)

    rows = AuditNorm.objects.filter(release=release).prefetch_related(
        Prefetch("measures", queryset=CatalogItem.objects.only("id"))
    )
    for row in rows:
        entry = norm(row.framework, row.number, in_release=True)
        for measure in row.measures.all():
            if measure.pk in by_catalog:
                link(entry, by_catalog[measure.pk], VIA_CSV)
    for checklist_item in loaded:
        for framework, numbers in (checklist_item.catalog_item.sources or {}).items():
            for number in numbers if isinstance(numbers, list) else [numbers]:
                entry = norm(str(framework), str(number), in_release=False)
                link(entry, by_catalog[checklist_item.catalog_item_id], VIA_SOURCES)
    for entry in norms.values():
        entry["items"].sort(key=lambda row: (row["code"], row["item_id"]))
    for item in items:
        item["norms"].sort(key=lambda label: _label_key(label))
    return [
        norms[key]
        for key in sorted(
            norms, key=lambda key: (FRAMEWORK_ORDER.get(key[0], 9), key[0], natural_key(key[1]))
        )
    ]


def _label_key(label: str) -> tuple:
    framework, _, number = label.partition(" ")
    return (FRAMEWORK_ORDER.get(framework, 9), framework, natural_key(number))
