"""The go-live gate's rules as query expressions: the one definition of "blocks".

``tracker.gates.readiness`` annotates an algorithm's items with these expressions to
list its blockers; ``tracker.dashboards`` counts them with the very same expressions
over a whole portfolio in one grouped query. Changing a rule here changes both.

Item-level rules (on current checklist items; see readiness.py for the full text):

- ``requirement_not_done``: a vereiste neither done nor justified not applicable;
- ``measure_not_done``: a maatregel open or in progress without an accepted risk;
- ``measure_not_deferred``: a maatregel not applicable without an accepted risk;
- ``no_owner``: any item without an owner;
- ``no_evidence``: an item done without active (not withdrawn) evidence;
- ``needs_review``: an item marked *opnieuw beoordelen* by a release upgrade (its
  content changed in substance) that no editor has confirmed yet.

Every item rule only counts items in the gate's phase scope (``in_gate_scope``): the
items up to and including implementatie, earlier phases' and organisation-wide ones
included (a legal requirement does not lapse when its phase ends), never those of
monitoring-en-beheer or uitfaseren (see tracker.applicability.scope).

A go-live criterion is met (``criterion_ok_q``) when its item is done, or, for the
affected-persons criterion when informing them is not mandatory, not applicable.

Algorithm-level rule (``algorithm_rules``, on the algorithm row):

- ``register_entry``: an impactful algorithm or high-risk AI system without a complete,
  valid Algoritmeregister entry exported after the last change (tracker.register keeps
  that state in ``RegisterEntry.export_current``). Part of informing affected persons.
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform

from tracker.applicability.scope import GATE_PHASES, LIFECYCLE
from tracker.catalog.models import CatalogItem
from tracker.catalog.phases import Phase
from tracker.checklist.models import ChecklistItem
from tracker.evidence.models import Evidence
from tracker.risks.models import ResidualRisk

Status = ChecklistItem.Status
Kind = CatalogItem.Kind

# The six go-live criteria of the content pack, by their ``criterium`` key, in order.
GO_LIVE_CRITERIA: dict[str, str] = {
    "output-interpretatie": "Gebruikers begrijpen hoe zij de output moeten interpreteren",
    "werkinstructies": "Er zijn duidelijke werkinstructies voor gebruikers",
    "service-en-incidentbeheer": "Service- en incidentbeheer werken",
    "verantwoordelijkheden": "Het is duidelijk wie waarvoor verantwoordelijk is",
    "restrisicos": "De restrisico's zijn bekend en geaccepteerd",
    "betrokkenen-geinformeerd": "Betrokkenen zijn geïnformeerd",
}
AFFECTED_PERSONS = "betrokkenen-geinformeerd"
HIGH_RISK = "hoog-risico-ai-systeem"
FINISHED = (Status.DONE, Status.NOT_APPLICABLE)

# The item's ``criterium`` key (front matter of a pack criterion).
CRITERION_KEY = KeyTextTransform("criterium", "catalog_item__front_matter")
ITEM_RULES = (
    "requirement_not_done",
    "measure_not_done",
    "measure_not_deferred",
    "no_owner",
    "no_evidence",
    "needs_review",
)


def in_production(algorithm) -> bool:
    """Whether the algorithm is in phase implementatie, stage production."""
    return algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == "production"


def affected_persons_mandatory(algorithm) -> bool:
    """Informing affected persons is mandatory for an impactful or high-risk algorithm."""
    high_risk = algorithm.is_ai_system and algorithm.risicogroep == HIGH_RISK
    return algorithm.impactful or high_risk


def affected_persons_mandatory_q(prefix: str = "") -> Q:
    """``affected_persons_mandatory`` as a filter on algorithms (``prefix`` for a join)."""
    return Q(**{f"{prefix}impactful": True}) | Q(
        **{f"{prefix}is_ai_system": True, f"{prefix}risicogroep": HIGH_RISK}
    )


def register_entry_current_q(prefix: str = "") -> Q:
    """The algorithm has a complete, valid register entry exported after the last change."""
    return Q(**{f"{prefix}register_entry__export_current": True})


def algorithm_rules(prefix: str = "") -> dict[str, Q]:
    """Each algorithm-level blocking rule as a filter on algorithms."""
    return {
        "register_entry": affected_persons_mandatory_q(prefix) & ~register_entry_current_q(prefix)
    }


def annotate_algorithm_rules(algorithms: QuerySet) -> QuerySet:
    """Algorithms with a boolean per algorithm-level rule (``blocks_<rule>``)."""
    return algorithms.annotate(
        **{f"blocks_{name}": _flag(rule) for name, rule in algorithm_rules().items()}
    )


def has_accepted_risk(today, within: Q | None = None) -> Q:
    """The item carries a residual risk with a valid acceptance.

    Written as ``pk IN (items with such a risk)``, not as a correlated EXISTS: the
    database builds that set once per query (PostgreSQL: a hashed subplan) instead of
    probing per item, which matters when a whole portfolio is counted at once.
    ``within`` narrows the set, e.g. ``Q(item__algorithm=algorithm)``."""
    risks = ResidualRisk.objects.accepted(today).filter(within or Q())
    return Q(pk__in=risks.values("item_id"))


def has_active_evidence(within: Q | None = None) -> Q:
    """The item has evidence that was not withdrawn (``within`` as above)."""
    return Q(pk__in=Evidence.objects.active().filter(within or Q()).values("item_id"))


AFTER_GATE_PHASES = [phase for phase in LIFECYCLE if phase not in GATE_PHASES]


def in_gate_scope(prefix: str = "") -> Q:
    """The checklist item comes from a phase up to and including implementatie."""
    return ~Q(**{f"{prefix}origin_phase__in": AFTER_GATE_PHASES})


def item_rules(today, within: Q | None = None) -> dict[str, Q]:
    """Each item-level blocking rule as a filter on checklist items. ``within`` (a filter
    on risks and evidence, e.g. ``Q(item__algorithm=algorithm)``) only narrows the sets
    the rules look things up in; the outcome for the items concerned is the same."""
    not_deferred = ~has_accepted_risk(today, within)
    scope = in_gate_scope()
    rules = {
        "requirement_not_done": Q(catalog_item__kind=Kind.REQUIREMENT) & ~Q(status__in=FINISHED),
        "measure_not_done": Q(
            catalog_item__kind=Kind.MEASURE, status__in=[Status.OPEN, Status.IN_PROGRESS]
        )
        & not_deferred,
        "measure_not_deferred": Q(catalog_item__kind=Kind.MEASURE, status=Status.NOT_APPLICABLE)
        & not_deferred,
        "no_owner": Q(owner__isnull=True),
        "no_evidence": Q(status=Status.DONE) & ~has_active_evidence(within),
        "needs_review": Q(review_since__isnull=False),
    }
    return {name: rule & scope for name, rule in rules.items()}


def is_criterion_q() -> Q:
    """The item is one of the six go-live criteria."""
    return Q(catalog_item__kind=Kind.CRITERION) & Q(
        catalog_item__front_matter__criterium__in=list(GO_LIVE_CRITERIA)
    )


def criterion_ok_q() -> Q:
    """A go-live criterion item that meets its criterion (joins the item's algorithm)."""
    return Q(status=Status.DONE) | (
        Q(catalog_item__front_matter__criterium=AFFECTED_PERSONS, status=Status.NOT_APPLICABLE)
        & ~affected_persons_mandatory_q("algorithm__")
    )


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def annotate_rules(items: QuerySet, today, within: Q | None = None) -> QuerySet:
    """Items with a boolean per rule (``blocks_<rule>``) and ``criterion_ok``."""
    rules = item_rules(today, within)
    flags = {f"blocks_{name}": _flag(rule) for name, rule in rules.items()}
    return items.annotate(**flags, criterion_ok=_flag(is_criterion_q() & criterion_ok_q()))


def rule_counts(today, within: Q | None = None) -> dict:
    """Aggregates for a grouped query on current items: blockers per rule (``n_<rule>``)
    and ``criteria_met`` (how many of the six criteria are met)."""
    rules = item_rules(today, within)
    counts = {f"n_{name}": Count("pk", filter=rule) for name, rule in rules.items()}
    counts["criteria_met"] = Count(
        CRITERION_KEY, filter=is_criterion_q() & criterion_ok_q(), distinct=True
    )
    # Whether the affected-persons criterion is met (0 or 1): when informing them is
    # mandatory its failure is the category "betrokkenen", not "criteria".
    counts["affected_met"] = Count(
        CRITERION_KEY,
        filter=is_criterion_q()
        & criterion_ok_q()
        & Q(catalog_item__front_matter__criterium=AFFECTED_PERSONS),
        distinct=True,
    )
    return counts


def unaccepted_risks(today) -> QuerySet:
    """Residual risks on current items without a valid acceptance: each one blocks."""
    return (
        ResidualRisk.objects.filter(item__retired_at__isnull=True)
        .filter(in_gate_scope("item__"))
        .unaccepted(today)
    )


def category_counts(algorithm, figures: dict, unaccepted: int) -> dict[str, int]:
    """The go-live blockers per category of ``tracker.gates.readiness.CATEGORIES``
    (categories without blockers left out) from the grouped figures of ``rule_counts``
    and an algorithm annotated by ``annotate_algorithm_rules``; equals
    ``go_live_readiness(algorithm).counts``."""
    n = figures.get
    criteria = len(GO_LIVE_CRITERIA) - (n("criteria_met") or 0)
    affected = 0
    if affected_persons_mandatory(algorithm) and not n("affected_met"):
        criteria, affected = criteria - 1, 1
    own = sum(1 for name in algorithm_rules() if getattr(algorithm, f"blocks_{name}"))
    counts = {
        "stage": 0 if in_production(algorithm) else 1,
        "criteria": criteria,
        "betrokkenen": affected + own,
        "vereisten": n("n_requirement_not_done") or 0,
        "maatregelen": (n("n_measure_not_done") or 0) + (n("n_measure_not_deferred") or 0),
        "risicos": unaccepted,
        "herbeoordelen": n("n_needs_review") or 0,
        "eigenaar": n("n_no_owner") or 0,
        "bewijs": n("n_no_evidence") or 0,
    }
    return {key: count for key, count in counts.items() if count}


def blocker_count(algorithm, figures: dict, unaccepted: int) -> int:
    """The number of go-live blockers (see ``category_counts``); equals
    ``len(go_live_readiness(algorithm).blockers)``."""
    return sum(category_counts(algorithm, figures, unaccepted).values())
