"""The checklist page's rows: what a row shows and what grouping reads of an item, as
plain values.

A page of 150 items built some 700 model instances (items, catalog items, owners,
topics) to show rows whose cells are mostly kept rendered (pages.checklist). So the
page reads its rows' facts with ``read_facts`` (one values query, as tuples: enough to
tell whether the page is kept), makes them rows with ``rows_of`` (one more query for
their topics or links) only when it renders them, and loads the items themselves only
for the rows whose cells it must render. ``Row.from_item``
builds the same row from an item already in memory (the dossier's grouping), with the
same facts: ``tests/checklist/test_rows.py`` holds the two equal.

A catalog item never changes once its release is imported (the importer only inserts,
the admin only reads), so its id stands for its topics and links.
"""

import hashlib
from dataclasses import dataclass, field

from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem, ChecklistItemQuerySet

# What a row of the checklist page shows of its item; its cells are kept per digest of
# these (``Row.cache_key``). Counts as annotated by ChecklistItemQuerySet.with_counts.
ROW_FIELDS = (
    "id",
    "version",
    "status",
    "justification",
    "owner_id",
    "due_date",
    "origin_phase",
    "review_since",
    "catalog_item_id",
    "catalog_item__fingerprint",
    "catalog_item__kind",
    "catalog_item__code",
    "catalog_item__title",
    "catalog_item__slug",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "evidence_count",
    "open_risk_count",
)
# What grouping needs of a vereiste that heads a group.
HEAD_FIELDS = (
    "id",
    "catalog_item_id",
    "catalog_item__code",
    "catalog_item__title",
    "catalog_item__slug",
)


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
    ``item`` is loaded (pages.checklist) only when the cells must be rendered, and
    ``cells`` holds them when they were kept.
    """

    facts: dict
    topics: tuple[tuple[str, str, int], ...] = ()  # (slug, title, position), content order
    links: tuple[int, ...] = ()  # the catalog items this one links to
    also: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    errors: FieldErrors = field(default_factory=FieldErrors)
    conflict: list[str] = field(default_factory=list)
    saved: bool = False
    item: ChecklistItem | None = None
    cells: str = ""
    update_url: str = ""  # where its save form posts (set by the page, for an editor)

    def __post_init__(self) -> None:
        facts = self.facts
        self.errors = FieldErrors(self.errors)
        if "status" in facts:  # a row (a vereiste heading a group has only HEAD_FIELDS)
            due = facts["due_date"]
            self.values = {
                "status": facts["status"],
                "justification": facts["justification"],
                "owner": str(facts["owner_id"] or ""),
                "due_date": due.isoformat() if due else "",
                **self.values,
            }

    @classmethod
    def from_item(cls, source: ChecklistItem, /, **kwargs) -> "Row":
        """The row of an item in memory (its counts from the annotations where present);
        ``kwargs`` as the dataclass's, e.g. the ``links`` to group it by vereiste."""
        return cls({name: _fact(source, name) for name in ROW_FIELDS}, **kwargs)

    @property
    def pk(self) -> int:
        return self.facts["id"]

    @property
    def version(self) -> int:
        return self.facts["version"]

    @property
    def catalog_item_id(self) -> int:
        return self.facts["catalog_item_id"]

    @property
    def kind(self) -> str:
        return self.facts["catalog_item__kind"]

    @property
    def code(self) -> str:
        return self.facts["catalog_item__code"]

    @property
    def title(self) -> str:
        return self.facts["catalog_item__title"]

    @property
    def slug(self) -> str:
        return self.facts["catalog_item__slug"]

    @property
    def shown(self) -> tuple | None:
        """Everything the row's cells show of the item (the page adds what they show of
        the page: ``row_scope``); None for a row that shows a refused save or a saved
        notice, whose cells are never kept."""
        if self.errors or self.conflict or self.saved:
            return None
        return (
            tuple(self.facts[name] for name in ROW_FIELDS),
            tuple(self.also),
            tuple(sorted(self.values.items())),  # what the form shows
        )

    @property
    def cache_key(self) -> str:
        """A digest of ``shown``, under which the rendered cells are kept; empty for a
        row whose cells are never kept."""
        shown = self.shown
        return "" if shown is None else hashlib.sha256(repr(shown).encode()).hexdigest()


def _fact(item: ChecklistItem, name: str):
    """``name`` as ``values()`` gives it: through a relation (``None`` past an empty
    one), or an annotation (``None`` where absent)."""
    value = item
    for part in name.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def read_facts(items: ChecklistItemQuerySet, fields: tuple[str, ...] = ROW_FIELDS) -> list:
    """The ``fields`` of ``items`` (annotated ``with_counts`` for ROW_FIELDS) as tuples, in
    its order: one query."""
    return list(items.values_list(*fields))


_KIND_RANK = {kind: rank for rank, kind in enumerate(CatalogItem.Kind)}
_ORDER = tuple(
    ROW_FIELDS.index(name)
    for name in ("catalog_item__kind", "catalog_item__code", "catalog_item__slug", "id")
)


def in_page_order(facts: list) -> list:
    """Rows' facts (``read_facts`` of ROW_FIELDS) in the checklist's order: vereisten,
    then maatregelen, hulpmiddelen and criteria (the order of CatalogItem.Kind), each by
    code (sorted here, the same on every database, and cheaper than in SQL)."""
    kind, code, slug, pk = _ORDER
    last = len(_KIND_RANK)
    return sorted(facts, key=lambda f: (_KIND_RANK.get(f[kind], last), f[code], f[slug], f[pk]))


def rows_of(
    facts: list, fields: tuple[str, ...] = ROW_FIELDS, *, topics: bool = False, links: bool = False
) -> list[Row]:
    """Rows of ``read_facts`` tuples, with their catalog items' topics or links (for
    grouping): one query for either."""
    rows = [Row(dict(zip(fields, values, strict=True))) for values in facts]
    ids = {row.catalog_item_id for row in rows}
    if topics and ids:
        of = _by_catalog_item(
            CatalogItem.topics.through.objects.filter(catalogitem_id__in=ids)
            # A topic's order on its item: Taxon.Meta.ordering, as catalog_item.topics.
            .order_by("taxon__kind", "taxon__position", "taxon__title", "taxon_id")
            .values_list("catalogitem_id", "taxon__slug", "taxon__title", "taxon__position")
        )
        for row in rows:
            row.topics = of.get(row.catalog_item_id, ())
    if links and ids:
        of = _by_catalog_item(
            CatalogItem.links.through.objects.filter(from_catalogitem_id__in=ids)
            .order_by("to_catalogitem_id")
            .values_list("from_catalogitem_id", "to_catalogitem_id")
        )
        for row in rows:
            row.links = tuple(link for (link,) in of.get(row.catalog_item_id, ()))
    return rows


def _by_catalog_item(pairs) -> dict[int, tuple]:
    """(catalog item id, *rest) tuples as catalog item id -> tuple of the rests."""
    result: dict[int, list] = {}
    for catalog_item_id, *rest in pairs:
        result.setdefault(catalog_item_id, []).append(tuple(rest))
    return {key: tuple(value) for key, value in result.items()}
