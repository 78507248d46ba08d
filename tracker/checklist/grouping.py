"""Grouping the checklist page's rows, by topic or as vereiste -> its maatregelen.

Every item shows exactly once, so group sizes add up to the number of rows, and one
row's form never appears twice on a page (an inline update would leave its twin with
a stale version). Where an item belongs to more than one group it goes under the
first (topics in the content's order; vereisten by code) and the row names the
others (``Row.also``).

- By topic: the item's first topic; items without a topic go to "Zonder onderwerp".
  Topics are matched by slug, so criteria of the content pack join the
  Algoritmekader's topic of the same name.
- By vereiste: a vereiste heads its own group, followed by the maatregelen that link
  to it; a maatregel linking to no applicable vereiste goes to "Overige maatregelen",
  and the pack's criteria to "Pilot- en go-livecriteria" (both last).

The items must come with ``catalog_item__topics`` (by topic) or ``catalog_item__links``
(by vereiste) prefetched: grouping makes no queries.
"""

import hashlib
from dataclasses import dataclass, field

from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem

Kind = CatalogItem.Kind
NO_TOPIC = "Zonder onderwerp"
OTHER_MEASURES = "Overige maatregelen"
CRITERIA = "Pilot- en go-livecriteria"


class FieldErrors(dict):
    """The errors per field of a row's form; a field without errors has none (an empty
    list), so the template asks for any field without a failing lookup."""

    def __missing__(self, name: str) -> list[str]:
        return []


@dataclass
class Row:
    """One item on the page, with the values its inline form shows.

    Normally the form shows the item's values; after a refused save (invalid or
    stale) it shows what the user submitted, with the errors and the conflict.
    """

    item: ChecklistItem
    also: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    errors: FieldErrors = field(default_factory=FieldErrors)
    conflict: list[str] = field(default_factory=list)
    saved: bool = False

    def __post_init__(self) -> None:
        item = self.item
        self.errors = FieldErrors(self.errors)
        self.values = {
            "status": item.status,
            "justification": item.justification,
            "owner": str(item.owner_id or ""),
            "due_date": item.due_date.isoformat() if item.due_date else "",
            **self.values,
        }

    @property
    def version(self) -> int:
        return self.item.version

    @property
    def cache_key(self) -> str:
        """A digest of everything the row's cells show of the item (the page adds what
        they show of the page: ``row_scope``), under which the rendered cells are kept;
        empty for a row that shows a refused save or a saved notice (never kept)."""
        if self.errors or self.conflict or self.saved:
            return ""
        item, catalog_item, owner = self.item, self.item.catalog_item, self.item.owner
        shown = (
            item.pk,
            item.version,
            item.catalog_item_id,
            catalog_item.fingerprint,
            catalog_item.code,
            catalog_item.title,
            catalog_item.kind,
            item.review_since,
            item.origin_phase,
            (owner.pk, owner.get_full_name(), owner.get_username()) if owner else None,
            getattr(item, "evidence_count", None),
            getattr(item, "open_risk_count", None),
            tuple(self.also),
            tuple(sorted(self.values.items())),  # status, justification, owner, due date
        )
        return hashlib.sha256(repr(shown).encode()).hexdigest()


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    url: str = ""  # the heading's link (a vereiste's item page)


def group_by_topic(items: list[ChecklistItem]) -> list[Group]:
    groups: dict[str, Group] = {}
    order: dict[str, tuple] = {}
    no_topic = Group("zonder-onderwerp", NO_TOPIC)
    for item in items:
        topics = list(item.catalog_item.topics.all())
        if not topics:
            no_topic.rows.append(Row(item))
            continue
        first = topics[0]
        if first.slug not in groups:
            groups[first.slug] = Group(f"onderwerp-{first.slug}", first.title)
            order[first.slug] = (first.position, first.title.lower())
        groups[first.slug].rows.append(Row(item, also=[topic.title for topic in topics[1:]]))
    result = [groups[slug] for slug in sorted(groups, key=order.__getitem__)]
    return [*result, no_topic] if no_topic.rows else result


def group_by_requirement(
    items: list[ChecklistItem], requirements: list[ChecklistItem]
) -> list[Group]:
    """``requirements``: every current vereiste of the checklist (filtered or not), so a
    maatregel still shows under its vereiste when a filter hides the vereiste itself."""
    ordered = sorted(requirements, key=lambda req: (req.catalog_item.code, req.catalog_item.slug))
    groups = {
        req.catalog_item_id: Group(
            f"vereiste-{req.pk}",
            f"{req.catalog_item.code}: {req.catalog_item.title}",
            url=req.get_absolute_url(),
        )
        for req in ordered
    }
    codes = {req.catalog_item_id: req.catalog_item.code for req in ordered}
    others, criteria = Group("overige-maatregelen", OTHER_MEASURES), Group("criteria", CRITERIA)
    heads: dict[int, Row] = {}
    for item in items:
        kind = item.catalog_item.kind
        if kind == Kind.REQUIREMENT and item.catalog_item_id in groups:
            heads[item.catalog_item_id] = Row(item)
        elif kind == Kind.CRITERION:
            criteria.rows.append(Row(item))
        else:
            linked = sorted(
                (link.pk for link in item.catalog_item.links.all() if link.pk in groups),
                key=lambda pk: codes[pk],
            )
            if linked:
                also = [codes[pk] for pk in linked[1:]]
                groups[linked[0]].rows.append(Row(item, also=also))
            else:
                others.rows.append(Row(item))
    result = []
    for key, group in groups.items():
        if key in heads:
            group.rows.insert(0, heads[key])
        if group.rows:
            result.append(group)
    return [*result, *(group for group in (others, criteria) if group.rows)]
