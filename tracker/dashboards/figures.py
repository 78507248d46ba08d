"""The portfolio's maintained figures: one ``AlgorithmFigures`` row per algorithm.

Written by ``refresh(ids)``, which computes the rows with the very function the
portfolio used to compute on every view (``tracker.dashboards.portfolio.portfolio_rows``:
progress from tracker.checklist.progress, blockers from tracker.gates.rules, the status
from tracker.dashboards.status), so the maintained figures hold no rule of their own.

When: inside the transaction of every audited change. Every domain action records its
changes with ``tracker.audit.trail`` and the trail sends ``changes_recorded`` with the
algorithms concerned just before it appends the entries, still in the transaction; the
receiver (tracker.dashboards.signals) calls ``refresh`` for exactly those algorithms. A
change and its figures therefore commit together or not at all: never stale after a
write. Saves the trail does not see (a pilot's rows, written after its entry) refresh on
``post_save`` as well.

Two safety nets on reading (``ensure_fresh``): an algorithm without a row (created
outside the actions) gets one, and a row whose figures changed with the date alone (an
item became overdue, a risk acceptance expired: ``valid_until``) is recomputed.
"""

from datetime import date, timedelta

from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import ContentRelease
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import Progress, progress_aggregates
from tracker.dashboards.models import AlgorithmFigures, AlgorithmTopicFigures
from tracker.dashboards.portfolio import LastDecision, PortfolioRow, portfolio_rows
from tracker.dashboards.status import Status
from tracker.risks.models import ResidualRisk

Status_ = ChecklistItem.Status
DAY = timedelta(days=1)
TOPIC_FIGURES = ("total", "done", "not_applicable", "overdue")
STALE = date(1, 1, 1)  # valid_until of a row marked stale by an unaudited save
FIELDS = [
    field.name for field in AlgorithmFigures._meta.concrete_fields if field.name != "algorithm"
]


def _valid_until(ids: list[int], today: date) -> dict[int, date]:
    """Per algorithm, the first day after ``today`` on which a figure changes with the
    date alone: an unfinished item's due date passes, or a risk acceptance expires."""
    found: dict[int, date] = {}
    due = (
        ChecklistItem.objects.current()
        .filter(algorithm_id__in=ids, due_date__gte=today)
        .exclude(status__in=[Status_.DONE, Status_.NOT_APPLICABLE])
        .order_by()
        .values("algorithm_id")
        .annotate(first=Min("due_date"))
    )
    expiring = (
        ResidualRisk.objects.filter(
            item__algorithm_id__in=ids, accepted_at__isnull=False, acceptance_expires__gte=today
        )
        .order_by()
        .values("item__algorithm_id")
        .annotate(first=Min("acceptance_expires"))
    )
    for row in due:
        found[row["algorithm_id"]] = row["first"] + DAY
    for row in expiring:
        pk, day = row["item__algorithm_id"], row["first"] + DAY
        found[pk] = min(found.get(pk, day), day)
    return found


def _figures_of(row: PortfolioRow, today: date, valid_until: date | None) -> AlgorithmFigures:
    progress, requirements, status = row.progress, row.requirements, row.status
    last = row.last_decision
    return AlgorithmFigures(
        algorithm_id=row.algorithm.pk,
        computed_on=today,
        valid_until=valid_until,
        total=progress.total,
        done=progress.done,
        not_applicable=progress.not_applicable,
        overdue=progress.overdue,
        ready=progress.ready,
        percent_ready=progress.percent_ready,
        req_total=requirements.total,
        req_done=requirements.done,
        req_not_applicable=requirements.not_applicable,
        req_ready=requirements.ready,
        req_percent_ready=requirements.percent_ready,
        go_live_blockers=row.blockers,
        blocker_counts=dict(row.categories or {}),
        unaccepted_risks=row.unaccepted_risks,
        status=status.key,
        status_reason=status.reason[:300],
        next_gate=status.next_gate or "",
        next_gate_blockers=status.blockers,
        last_decision_gate=last.gate if last else "",
        last_decision_outcome=last.outcome if last else "",
        last_decision_at=last.decided_at if last else None,
        pilot_start=row.pilot_start,
        pilot_decided=row.pilot_decided,
    )


def compute(ids, today: date | None = None) -> list[AlgorithmFigures]:
    """The figures of the algorithms (unsaved rows), in a fixed number of queries."""
    today = today or timezone.localdate()
    ids = list(ids)
    if not ids:
        return []
    rows = portfolio_rows(Algorithm.objects.filter(pk__in=ids), today)
    valid = _valid_until(ids, today)
    return [_figures_of(row, today, valid.get(row.algorithm.pk)) for row in rows]


BATCH = 500


def compute_topics(ids, today: date | None = None) -> list[AlgorithmTopicFigures]:
    """Progress per topic of each algorithm's current items (unsaved rows, one query)."""
    today = today or timezone.localdate()
    rows = (
        ChecklistItem.objects.current()
        .filter(algorithm_id__in=list(ids), catalog_item__topics__isnull=False)
        .order_by()
        .values("algorithm_id", "catalog_item__topics__slug")
        .annotate(
            title=Max("catalog_item__topics__title"),
            **progress_aggregates(today, figures=TOPIC_FIGURES),
        )
    )
    return [
        AlgorithmTopicFigures(
            algorithm_id=row["algorithm_id"],
            slug=row["catalog_item__topics__slug"],
            title=row["title"],
            **{name: row[name] for name in TOPIC_FIGURES},
        )
        for row in rows
    ]


def refresh(ids, today: date | None = None) -> int:
    """Recompute and store the figures of the algorithms, and their figures per topic
    (in batches). Returns the number of algorithms written."""
    ids = sorted(set(ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        rows = compute(batch, today)
        AlgorithmFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["algorithm"],
            update_fields=FIELDS,
        )
        AlgorithmTopicFigures.objects.filter(algorithm_id__in=batch).delete()
        AlgorithmTopicFigures.objects.bulk_create(compute_topics(batch, today), batch_size=1000)
        written += len(rows)
    return written


def stale_q(today: date) -> Q:
    """Rows whose figures may differ on ``today`` from those stored."""
    return Q(valid_until__lte=today) | Q(computed_on__gt=today)


def ensure_fresh(algorithms: QuerySet, today: date | None = None) -> int:
    """Give every algorithm of the queryset a row that holds for ``today`` (one query
    when all are fresh). Returns the number of rows recomputed."""
    today = today or timezone.localdate()
    scope = algorithms.order_by().values("pk")
    stale = Q(figures__isnull=True) | Q(figures__valid_until__lte=today)
    stale |= Q(figures__computed_on__gt=today)
    ids = list(Algorithm.objects.filter(stale, pk__in=scope).values_list("pk", flat=True))
    return refresh(ids, today) if ids else 0


def stored_status(figures: AlgorithmFigures) -> Status:
    return Status(
        figures.status,
        figures.status_reason,
        figures.next_gate or None,
        figures.next_gate_blockers,
    )


def figures_for(algorithm: Algorithm, today: date | None = None) -> AlgorithmFigures:
    """The maintained figures of one algorithm (recomputed first if missing or stale)."""
    today = today or timezone.localdate()
    found = AlgorithmFigures.objects.filter(algorithm=algorithm).first()
    if (
        found is None
        or found.computed_on > today
        or (found.valid_until is not None and found.valid_until <= today)
    ):
        refresh([algorithm.pk], today)
        found = AlgorithmFigures.objects.get(algorithm=algorithm)
    return found


def algorithm_status(algorithm: Algorithm, today: date | None = None) -> Status:
    """Where the algorithm stands: status label, main reason, next gate and the blockers
    for it (tracker.dashboards.status), from its maintained figures (one query)."""
    return stored_status(figures_for(algorithm, today))


def progress_of(f: AlgorithmFigures) -> Progress:
    """The checklist's progress (every current item) as maintained."""
    return Progress(total=f.total, done=f.done, not_applicable=f.not_applicable, overdue=f.overdue)


def requirements_of(f: AlgorithmFigures) -> Progress:
    """The progress of the checklist's requirements (vereisten) as maintained."""
    return Progress(total=f.req_total, done=f.req_done, not_applicable=f.req_not_applicable)


def stored_row(
    algorithm: Algorithm, today: date, newest: ContentRelease | None, titles
) -> PortfolioRow:
    """The portfolio row of an algorithm from its maintained figures
    (``algorithm.figures``, fetched with it); ``titles`` turns the register entry's
    changed fields (``register_changed_fields``) into their titles."""
    f = algorithm.figures
    last = None
    if f.last_decision_gate:
        last = LastDecision(f.last_decision_gate, f.last_decision_outcome, f.last_decision_at)
    return PortfolioRow(
        algorithm=algorithm,
        progress=progress_of(f),
        requirements=requirements_of(f),
        blockers=f.go_live_blockers,
        unaccepted_risks=f.unaccepted_risks,
        last_decision=last,
        pilot_start=f.pilot_start,
        pilot_decided=f.pilot_decided,
        today=today,
        newest_release=newest,
        register_changed=tuple(titles(getattr(algorithm, "register_changed_fields", None) or [])),
        categories=dict(f.blocker_counts),
        status=stored_status(f),
    )
