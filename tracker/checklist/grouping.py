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

Grouping takes rows (tracker.checklist.rows) read with their topics (by topic) or links
(by vereiste), and makes no queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.catalog.models import CatalogItem
from tracker.checklist.rows import Row

Kind = CatalogItem.Kind
NO_TOPIC = "Zonder onderwerp"
OTHER_MEASURES = "Overige maatregelen"
CRITERIA = "Pilot- en go-livecriteria"


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    url: str = ""  # the heading's link (a vereiste's item page)


def group_by_topic(rows: list[Row]) -> list[Group]:
    groups: dict[str, Group] = {}
    order: dict[str, tuple] = {}
    no_topic = Group("zonder-onderwerp", NO_TOPIC)
    for row in rows:
        if not row.topics:
            no_topic.rows.append(row)
            continue
        slug, title, position = row.topics[0]
        if slug not in groups:
            groups[slug] = Group(f"onderwerp-{slug}", title)
            order[slug] = (position, title.lower())
        row.also = [other for _, other, _ in row.topics[1:]]
        groups[slug].rows.append(row)
    result = [groups[slug] for slug in sorted(groups, key=order.__getitem__)]
    return [*result, no_topic] if no_topic.rows else result


def group_by_requirement(
    rows: list[Row], requirements: list[Row], url_for: Callable[[int], str] | None = None
) -> list[Group]:
    """``requirements``: every current vereiste of the checklist (filtered or not), so a
    maatregel still shows under its vereiste when a filter hides the vereiste itself;
    ``url_for`` gives a vereiste's item page (the heading's link) by its item's pk."""
    ordered = sorted(requirements, key=lambda req: (req.code, req.slug))
    groups = {
        req.catalog_item_id: Group(
            f"vereiste-{req.pk}",
            f"{req.code}: {req.title}",
            url=url_for(req.pk) if url_for else "",
        )
        for req in ordered
    }
    codes = {req.catalog_item_id: req.code for req in ordered}
    others, criteria = Group("overige-maatregelen", OTHER_MEASURES), Group("criteria", CRITERIA)
    heads: dict[int, Row] = {}
    for row in rows:
        if row.kind == Kind.REQUIREMENT and row.catalog_item_id in groups:
            heads[row.catalog_item_id] = row
        elif row.kind == Kind.CRITERION:
            criteria.rows.append(row)
        else:
            linked = sorted((pk for pk in row.links if pk in groups), key=codes.__getitem__)
            if linked:
                row.also = [codes[pk] for pk in linked[1:]]
                groups[linked[0]].rows.append(row)
            else:
                others.rows.append(row)
    result = []
    for key, group in groups.items():
        if key in heads:
            group.rows.insert(0, heads[key])
        if group.rows:
            result.append(group)
    return [*result, *(group for group in (others, criteria) if group.rows)]
