"""The portfolio's figures: one row per algorithm, from a fixed number of grouped queries.

Every figure comes from the definitions the checklist and the gate use:

- readiness: ``tracker.checklist.progress.progress_aggregates`` (what ``progress_for``
  aggregates for one checklist), grouped per algorithm;
- blockers for the next gate (the go-live gate): the rules of ``tracker.gates.rules``,
  which ``go_live_readiness`` annotates item by item, counted per algorithm;
- residual risks not accepted: ``tracker.gates.rules.unaccepted_risks``, as the gate.

The queries do not depend on the number of algorithms: the algorithms (1, with their
register entry's state), checklist figures (1), unaccepted risks (1), decisions (1),
pilots (1), and the register standard's field titles (1, only when an entry changed
since its export).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.catalog.phases import PHASE_ORDER
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import (
    READY_FIGURES,
    Progress,
    progress_aggregates,
    progress_from,
)
from tracker.dashboards.status import LIVE_OUTCOMES, PilotState, Status, status_from
from tracker.decisions.models import Decision
from tracker.gates.rules import (
    annotate_algorithm_rules,
    category_counts,
    rule_counts,
    unaccepted_risks,
)
from tracker.pilots.models import Pilot, PilotEvaluation
from tracker.register.models import RegisterStandard
from tracker.register.status import field_titles

REQUIREMENTS = "req_"  # prefix of the vereisten-only figures
# The progress figures the portfolio shows (open and in progress are not counted).
SHOWN = ("total", "done", "not_applicable", "overdue")


@dataclass(frozen=True)
class LastDecision:
    gate: str
    outcome: str
    decided_at: datetime

    @property
    def gate_label(self) -> str:
        return Decision.Gate(self.gate).label

    @property
    def outcome_label(self) -> str:
        return Decision.Outcome(self.outcome).label


@dataclass(frozen=True)
class PortfolioRow:
    algorithm: Algorithm
    progress: Progress  # all current items (SHOWN figures; open and in progress are 0)
    requirements: Progress  # current vereisten only (READY_FIGURES)
    blockers: int  # go-live blockers, as go_live_readiness counts them
    unaccepted_risks: int
    last_decision: LastDecision | None
    pilot_start: date | None  # start of the latest pilot, while in stage pilot
    pilot_decided: bool  # a pilot decision was recorded since that pilot started
    today: date
    newest_release: ContentRelease | None = None  # the newest Algoritmekader release
    register_changed: tuple[str, ...] = ()  # register fields changed since export (titles)
    categories: dict[str, int] | None = None  # go-live blockers per category
    status: Status | None = None  # where it stands (tracker.dashboards.status)

    @property
    def cache_key(self) -> str:
        """A digest of everything the portfolio's table row shows: the algorithm's own
        fields, the newest release and every other field of the row, figures and
        ``today`` (the days in pilot) included. The rendered row is kept under it (the
        ``fragments`` cache), so a change of any of them renders the row anew."""
        a, newest = self.algorithm, self.newest_release
        shown = (
            (a.pk, a.slug, a.name, a.organisation.name, a.phase, a.stage),
            (a.release_id, a.release.label),
            None if newest is None else (newest.pk, newest.label),
            replace(self, algorithm=None, newest_release=None),  # all the rest, as its repr
        )
        return hashlib.sha256(repr(shown).encode()).hexdigest()

    @property
    def on_older_release(self) -> bool:
        """A newer Algoritmekader release exists than the one the algorithm follows."""
        newest = self.newest_release
        return newest is not None and self.algorithm.release_id != newest.pk

    @property
    def register_url(self) -> str:
        return _url("register:entry", self.algorithm.slug)

    @property
    def overdue(self) -> int:
        return self.progress.overdue

    @property
    def dashboard_url(self) -> str:
        return _url("algorithm_dashboard:detail", self.algorithm.slug)

    @property
    def gate_url(self) -> str:
        return _url("gates:go_live", self.algorithm.slug)

    @property
    def next_gate_url(self) -> str:
        """The page of the next gate: the go-live gate, or the pilot for the pilot decision."""
        gate = self.status.next_gate if self.status else None
        return _url("pilots:detail", self.algorithm.slug) if gate == "pilot" else self.gate_url

    @property
    def days_in_pilot(self) -> int | None:
        if self.algorithm.stage != Algorithm.Stage.PILOT or self.pilot_start is None:
            return None
        return (self.today - self.pilot_start).days

    def pilot_undecided_for_more_than(self, days: int) -> bool:
        """In pilot for more than ``days`` days without a pilot decision."""
        in_pilot = self.days_in_pilot
        return in_pilot is not None and not self.pilot_decided and in_pilot > days

    @property
    def phase_index(self) -> int:
        phase = self.algorithm.phase
        return PHASE_ORDER.index(phase) if phase in PHASE_ORDER else len(PHASE_ORDER)


_SLUG = "slug-placeholder"


@cache
def _url_pattern(name: str) -> str:
    return reverse(name, args=[_SLUG])


def _url(name: str, slug: str) -> str:
    """``reverse(name, args=[slug])`` without resolving the pattern for every row."""
    return _url_pattern(name).replace(_SLUG, slug, 1)


def _figures(ids: list[int], today: date) -> dict[int, dict]:
    rows = (
        ChecklistItem.objects.current()
        .filter(algorithm_id__in=ids)
        .order_by()
        .values("algorithm_id")
        .annotate(
            **progress_aggregates(today, figures=SHOWN),
            **progress_aggregates(
                today,
                only=Q(catalog_item__kind=CatalogItem.Kind.REQUIREMENT),
                prefix=REQUIREMENTS,
                figures=READY_FIGURES,
            ),
            # The rules look up accepted risks and active evidence of these algorithms
            # only, not of the whole portfolio (the outcome for these items is the same).
            **rule_counts(today, within=Q(item__algorithm_id__in=ids)),
        )
    )
    return {row["algorithm_id"]: row for row in rows}


def _unaccepted(ids: list[int], today: date) -> dict[int, int]:
    rows = (
        unaccepted_risks(today)
        .filter(item__algorithm_id__in=ids)
        .order_by()
        .values("item__algorithm_id")
        .annotate(n=Count("pk"))
    )
    return {row["item__algorithm_id"]: row["n"] for row in rows}


def _decisions(ids: list[int]) -> dict[int, list[tuple[str, str, datetime]]]:
    found: dict[int, list] = defaultdict(list)
    rows = (
        Decision.objects.filter(algorithm_id__in=ids)
        .order_by("decided_at", "pk")
        .values_list("algorithm_id", "gate", "outcome", "decided_at")
    )
    for algorithm_id, gate, outcome, decided_at in rows:
        found[algorithm_id].append((gate, outcome, decided_at))
    return found


def _pilots(ids: list[int]) -> dict[int, tuple[date, PilotState]]:
    """The current pilot of each algorithm (the newest, as Pilot.Meta orders them): its
    start and its state as the pilot decision sees it, in one query."""
    rows = (
        Pilot.objects.filter(algorithm_id__in=ids)
        .annotate(
            decided=Exists(Decision.objects.filter(pilot=OuterRef("pk"))),
            evaluated=Exists(PilotEvaluation.objects.filter(pilot=OuterRef("pk"))),
            n_criteria=Count("criteria", distinct=True),
            n_results=Count("evaluation__results", distinct=True),
        )
        .order_by("algorithm_id", "-start_date", "-id")
        .values_list(
            "algorithm_id", "start_date", "decided", "evaluated", "n_criteria", "n_results"
        )
    )
    found: dict[int, tuple[date, PilotState]] = {}
    for algorithm_id, start, decided, evaluated, criteria, results in rows:
        if algorithm_id not in found:
            state = PilotState(
                running=not decided, evaluated=evaluated, missing_results=criteria - results
            )
            found[algorithm_id] = (start, state)
    return found


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def portfolio_rows(algorithms: QuerySet, today: date | None = None) -> list[PortfolioRow]:
    """A row with every figure for each of the algorithms (ordered by name)."""
    today = today or timezone.localdate()
    listed = list(
        annotate_algorithm_rules(algorithms.select_related("organisation", "release"))
        .annotate(register_changed_fields=F("register_entry__changed_fields"))
        .only(
            "name",
            "slug",
            "release__label",
            "release__version_key",
            "phase",
            "stage",
            "impactful",
            "is_ai_system",
            "risicogroep",
            "organisation__name",
            "organisation__slug",
        )
    )
    ids = [algorithm.pk for algorithm in listed]
    if not ids:
        return []
    figures = _figures(ids, today)
    unaccepted = _unaccepted(ids, today)
    decisions = _decisions(ids)
    pilots = _pilots(ids)
    newest = ContentRelease.latest()
    titles = register_titles(listed)
    rows = []
    for algorithm in listed:
        row = figures.get(algorithm.pk, {})
        history = decisions.get(algorithm.pk, [])
        start, pilot = pilots.get(algorithm.pk, (None, PilotState()))
        last = LastDecision(*history[-1]) if history else None
        decided = start is not None and any(
            gate == Decision.Gate.PILOT and _local_date(at) >= start for gate, _, at in history
        )
        go_live = [outcome for gate, outcome, _ in history if gate == Decision.Gate.GO_LIVE]
        risks = unaccepted.get(algorithm.pk, 0)
        categories = category_counts(algorithm, row, risks)
        live = bool(go_live) and go_live[-1] in LIVE_OUTCOMES
        rows.append(
            PortfolioRow(
                algorithm=algorithm,
                progress=progress_from(row),
                requirements=progress_from(row, REQUIREMENTS),
                blockers=sum(categories.values()),
                categories=categories,
                status=status_from(algorithm, categories=categories, live=live, pilot=pilot),
                unaccepted_risks=risks,
                last_decision=last,
                pilot_start=start if algorithm.stage == Algorithm.Stage.PILOT else None,
                pilot_decided=decided,
                today=today,
                newest_release=newest,
                register_changed=tuple(titles(algorithm.register_changed_fields or [])),
            )
        )
    return rows


def register_titles(listed: list[Algorithm]):
    """The register field titles for the changed fields of the rows (one query, only when
    some entry changed since its export)."""
    if not any(algorithm.register_changed_fields for algorithm in listed):
        return list
    standard = RegisterStandard.latest()
    return lambda names: field_titles(names, standard)


@dataclass(frozen=True)
class Overview:
    """Figures over many algorithms at once (the summary line and the topic chart)."""

    progress: Progress  # every current item (SHOWN figures)
    requirements: Progress  # current vereisten
    topics: list[tuple[str, str, Progress]]  # (slug, title, progress) per topic, by title


def _summed(rows) -> Progress:
    return progress_from({name: sum(row[name] for row in rows) for name in SHOWN})


def overview(scope, today: date | None = None) -> Overview:
    """The figures over the current items of the algorithms in ``scope`` (pks, or a
    queryset of them), in three queries: the figures per catalog item (no join), the
    kinds of those catalog items, and their topics. An item with several topics counts
    for each of them; in the totals it counts once."""
    today = today or timezone.localdate()
    per_catalog_item = {
        row["catalog_item_key"]: row
        for row in ChecklistItem.objects.current()
        .filter(algorithm_id__in=scope)
        .order_by()
        # Grouped on an expression, not the indexed column: else SQLite walks the whole
        # table along the catalog item index to group, instead of using the algorithm
        # index to fetch only the items of the filtered algorithms (35 ms -> 6 ms).
        .annotate(catalog_item_key=ExpressionWrapper(F("catalog_item_id") + 0, IntegerField()))
        .values("catalog_item_key")
        .annotate(**progress_aggregates(today, figures=SHOWN))
    }
    ids = list(per_catalog_item)
    requirements = CatalogItem.objects.filter(
        pk__in=ids, kind=CatalogItem.Kind.REQUIREMENT
    ).values_list("pk", flat=True)
    links = CatalogItem.topics.through.objects.filter(catalogitem_id__in=ids).values_list(
        "catalogitem_id", "taxon__slug", "taxon__title"
    )
    topics: dict[str, tuple[str, list]] = {}
    for catalog_item_id, slug, title in links:
        topics.setdefault(slug, (title, []))[1].append(per_catalog_item[catalog_item_id])
    return Overview(
        progress=_summed(per_catalog_item.values()),
        requirements=_summed([per_catalog_item[pk] for pk in requirements]),
        topics=sorted(
            ((slug, title, _summed(rows)) for slug, (title, rows) in topics.items()),
            key=lambda entry: entry[1].lower(),
        ),
    )
