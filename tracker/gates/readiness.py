"""Go-live readiness: what still blocks an algorithm from going to production.

``go_live_readiness(algorithm)`` returns every blocker with a stable key, grouped by
category, and the figures per category, from three queries (the checklist items with
their counts, the risks without a valid acceptance, and the algorithm-level rules of
tracker.gates.rules), however long the checklist.

The rules, applied to the *current* checklist items only (retired items never block,
and neither do the risks or evidence on them):

Stage (``stage``)
    The go-live gate is about the step to production: an algorithm that is not in
    phase implementatie, stage production, has the blocker ``stage:not-production``.
    A condition cannot cover it.
Criteria (``criteria``)
    Each of the six go-live criteria of the content pack (``criterium`` in its front
    matter) must be a current checklist item with status done. A criterion that is not
    on the checklist: ``criterion:<key>:missing``; one that is not done (a criterion
    marked not applicable does not count as done): ``item:<pk>:not-done``.
Affected persons (``betrokkenen``)
    The criterion ``betrokkenen-geinformeerd`` is mandatory for an impactful algorithm
    or a high-risk AI system: then anything but done (missing, open, not applicable)
    is the single blocker ``affected-persons``. Otherwise it is treated like the other
    criteria, except that not applicable (always with a justification) is allowed too.
Algoritmeregister (``betrokkenen``)
    For the same algorithms, informing affected persons also takes a complete, valid
    register entry exported after the last change (tracker.register); otherwise the
    blocker ``register-entry``, linking to the entry.
Vereisten (``vereisten``)
    Done, or not applicable with a justification; else ``item:<pk>:not-done``.
Maatregelen (``maatregelen``)
    Done, or consciously deferred: not done (open, in progress, or not applicable with
    a justification) *and* carrying at least one residual risk with a valid acceptance
    by an approver (the risk that remains while the measure is not taken). Else
    ``item:<pk>:not-done`` (open / in progress) or ``item:<pk>:not-deferred`` (not
    applicable without an accepted risk: for a measure, "does not apply" is a
    deferral that needs its risk accepted).
Residual risks (``risicos``)
    Every risk without a valid acceptance (ResidualRiskQuerySet.unaccepted: never
    accepted, or the acceptance expired): ``risk:<pk>:unaccepted``.
Owners (``eigenaar``)
    Every current item needs an owner, also one that is not applicable (someone
    answers for the justification): ``item:<pk>:no-owner``.
To re-review (``herbeoordelen``)
    An item marked *opnieuw beoordelen* by a release upgrade (its content changed in
    substance) until an editor confirms it: ``item:<pk>:to-review``, whatever its status.
Evidence (``bewijs``)
    An item with status done and no active (not withdrawn) evidence:
    ``item:<pk>:no-evidence``. Not-applicable and deferred items need a justification,
    not evidence.

Other pack criteria (``stap: pilot``) and hulpmiddelen are checked only by the rules
for owners and evidence.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem, url_per_item

# The rules themselves live in tracker.gates.rules as query expressions, shared with
# the portfolio dashboards; this module turns them into a readable list of blockers.
from tracker.gates.rules import (  # noqa: F401 - re-exported names
    AFFECTED_PERSONS,
    CRITERION_KEY,
    GO_LIVE_CRITERIA,
    HIGH_RISK,
    affected_persons_mandatory,
    algorithm_rules,
    annotate_rules,
    in_production,
    unaccepted_risks,
)

Status = ChecklistItem.Status
Kind = CatalogItem.Kind

AFFECTED_PERSONS_KEY = "affected-persons"
REGISTER_ENTRY_KEY = "register-entry"
STAGE_KEY = "stage:not-production"


@dataclass(frozen=True)
class Category:
    key: str
    title: str


# Display order of the page; every blocker has one of these.
CATEGORIES: tuple[Category, ...] = (
    Category("stage", "Fase en stap"),
    Category("criteria", "Go-livecriteria"),
    Category("betrokkenen", "Betrokkenen informeren"),
    Category("vereisten", "Vereisten"),
    Category("maatregelen", "Maatregelen"),
    Category("risicos", "Restrisico's zonder acceptatie"),
    Category("herbeoordelen", "Opnieuw beoordelen na een nieuwe release"),
    Category("eigenaar", "Items zonder eigenaar"),
    Category("bewijs", "Gereed zonder bewijs"),
)
CATEGORY_TITLES = {category.key: category.title for category in CATEGORIES}
UNCONDITIONAL = frozenset({"stage"})  # categories a condition of a conditional go cannot cover


@dataclass(frozen=True)
class Blocker:
    key: str
    category: str
    label: str
    url: str
    item_id: int | None = None

    @property
    def conditionable(self) -> bool:
        """Whether a conditional go may cover this blocker with a condition."""
        return self.category not in UNCONDITIONAL

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "category": self.category,
            "label": self.label,
            "item_id": self.item_id,
        }


@dataclass(frozen=True)
class CriterionState:
    key: str
    title: str
    item_id: int | None
    status: str  # a ChecklistItem.Status value, or "" when the criterion is not on the list
    status_label: str
    ok: bool
    url: str
    mandatory: bool = False


@dataclass(frozen=True)
class CategoryGroup:
    key: str
    title: str
    blockers: list[Blocker]


@dataclass(frozen=True)
class Readiness:
    blockers: list[Blocker]
    criteria: list[CriterionState]
    affected_persons_mandatory: bool
    item_count: int  # current checklist items
    counts: dict[str, int] = field(default_factory=dict)  # category key -> blockers

    @property
    def ready(self) -> bool:
        return not self.blockers

    @property
    def keys(self) -> set[str]:
        return {blocker.key for blocker in self.blockers}

    @property
    def groups(self) -> list[CategoryGroup]:
        """Blockers per category in display order (categories without blockers left out)."""
        return [
            CategoryGroup(c.key, c.title, [b for b in self.blockers if b.category == c.key])
            for c in CATEGORIES
            if self.counts.get(c.key)
        ]

    @property
    def figures(self) -> list[tuple[str, str, int]]:
        """(key, title, count) for every category, also those at zero."""
        return [(c.key, c.title, self.counts.get(c.key, 0)) for c in CATEGORIES]

    @property
    def conditionable(self) -> list[Blocker]:
        return [blocker for blocker in self.blockers if blocker.conditionable]


def _items(algorithm: Algorithm, today) -> list[ChecklistItem]:
    """Current items, each flagged per rule of tracker.gates.rules (``blocks_<rule>``,
    ``criterion_ok``), in one query (bodies of the content left out)."""
    return list(
        annotate_rules(algorithm.items.current(), today, Q(item__algorithm=algorithm))
        # The criterion key read by the database: the front matter (a JSON document per
        # item) is neither fetched nor decoded in Python.
        .annotate(criterion_key=CRITERION_KEY)
        .select_related("catalog_item")
        .defer(
            "catalog_item__body",
            "catalog_item__summary",
            "catalog_item__front_matter",
            "work_instruction",
        )
        .order_by("catalog_item__kind", "catalog_item__code", "pk")
    )


def _name(item: ChecklistItem) -> str:
    catalog = item.catalog_item
    return f"{catalog.code}: {catalog.title}" if catalog.code else catalog.title


def _criterion_key(item: ChecklistItem) -> str:
    if item.catalog_item.kind != Kind.CRITERION:
        return ""
    return str(item.criterion_key or "")


def go_live_readiness(algorithm: Algorithm, today=None) -> Readiness:
    """Every blocker on the way to production; see the module docstring for the rules."""
    today = today or timezone.localdate()
    slug = algorithm.slug
    list_url = reverse("checklist:list", args=[slug])
    item_url = url_per_item("checklist:item", slug)  # one reverse(), not one per blocker

    blockers: list[Blocker] = []

    def block(key: str, category: str, label: str, item: ChecklistItem | None = None) -> None:
        url = item_url(item.pk) if item is not None else list_url
        blockers.append(Blocker(key, category, label, url, item.pk if item else None))

    if not in_production(algorithm):
        block(STAGE_KEY, "stage", "Het algoritme is niet in de fase implementatie, stap productie")

    items = _items(algorithm, today)
    mandatory = affected_persons_mandatory(algorithm)

    # The six criteria: the first current item carrying each key that meets it, else
    # the first one carrying the key.
    criterion_items: dict[str, ChecklistItem] = {}
    for item in items:
        key = _criterion_key(item)
        if key in GO_LIVE_CRITERIA:
            known = criterion_items.get(key)
            if known is None or (item.criterion_ok and not known.criterion_ok):
                criterion_items[key] = item
    criteria: list[CriterionState] = []
    for key, title in GO_LIVE_CRITERIA.items():
        item = criterion_items.get(key)
        is_affected = key == AFFECTED_PERSONS
        ok = item is not None and item.criterion_ok
        criteria.append(
            CriterionState(
                key=key,
                title=item.catalog_item.title if item else title,
                item_id=item.pk if item else None,
                status=item.status if item else "",
                status_label=item.get_status_display() if item else "Ontbreekt op de checklist",
                ok=ok,
                url=item_url(item.pk) if item else list_url,
                mandatory=is_affected and mandatory,
            )
        )
        if ok:
            continue
        if is_affected and mandatory:
            block(
                AFFECTED_PERSONS_KEY,
                "betrokkenen",
                "Betrokkenen zijn niet geïnformeerd; verplicht bij een impactvol algoritme "
                "of een hoog-risico-AI-systeem",
                item,
            )
        elif item is None:
            block(f"criterion:{key}:missing", "criteria", f"Criterium ontbreekt: {title}")
        else:
            block(
                f"item:{item.pk}:not-done",
                "criteria",
                f"Criterium niet gereed: {_name(item)}",
                item,
            )

    # Queried also when not mandatory (the rule says no then): a fixed number of queries.
    if Algorithm.objects.filter(algorithm_rules()["register_entry"], pk=algorithm.pk).exists():
        blockers.append(
            Blocker(
                REGISTER_ENTRY_KEY,
                "betrokkenen",
                "Geen volledige, geldige registratie voor het Algoritmeregister geëxporteerd "
                "na de laatste wijziging",
                reverse("register:entry", args=[slug]),
            )
        )

    for item in items:
        if item.blocks_requirement_not_done:
            block(f"item:{item.pk}:not-done", "vereisten", f"Niet gereed: {_name(item)}", item)
        elif item.blocks_measure_not_done:
            block(f"item:{item.pk}:not-done", "maatregelen", f"Niet gereed: {_name(item)}", item)
        elif item.blocks_measure_not_deferred:
            block(
                f"item:{item.pk}:not-deferred",
                "maatregelen",
                f"Uitgesteld zonder geaccepteerd restrisico: {_name(item)}",
                item,
            )

    by_item = {item.pk: item for item in items}
    risks = (
        unaccepted_risks(today)
        .filter(item__algorithm=algorithm)
        .order_by("item__catalog_item__kind", "item__catalog_item__code", "item_id", "pk")
        .values_list("pk", "item_id", "description")
    )
    for pk, item_id, description in risks:
        text = " ".join(description.split())
        short = text if len(text) <= 80 else text[:79] + "…"
        block(f"risk:{pk}:unaccepted", "risicos", f"Niet geaccepteerd: {short}", by_item[item_id])

    for item in items:
        if item.blocks_needs_review:
            block(
                f"item:{item.pk}:to-review",
                "herbeoordelen",
                f"Opnieuw beoordelen (inhoud gewijzigd): {_name(item)}",
                item,
            )
    for item in items:
        if item.blocks_no_owner:
            block(f"item:{item.pk}:no-owner", "eigenaar", f"Geen eigenaar: {_name(item)}", item)
    for item in items:
        if item.blocks_no_evidence:
            block(f"item:{item.pk}:no-evidence", "bewijs", f"Geen bewijs: {_name(item)}", item)

    counts: dict[str, int] = {}
    for blocker in blockers:
        counts[blocker.category] = counts.get(blocker.category, 0) + 1
    return Readiness(
        blockers=blockers,
        criteria=criteria,
        affected_persons_mandatory=mandatory,
        item_count=len(items),
        counts=counts,
    )
