"""Progress figures of a checklist, computed with one aggregate query.

The one definition of "gereed": an item is ready when it is done or justified not
applicable (the status requires a justification), and an algorithm is ``ready`` of
``total`` applicable items, ``percent_ready`` rounded down. Every page that shows how
far an algorithm is (algorithm list and overview, checklist, dashboards, portfolio,
dossier) takes its figure from ``Progress``: pass any queryset of checklist items to
``progress_for``, or group with ``progress_aggregates`` / ``progress_per_algorithm``.
Retired items (no longer applicable after a phase or profile change) never count;
``tests/test_ready_figure.py`` renders every page and checks that they agree.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from tracker.checklist.models import ChecklistItem, ChecklistItemQuerySet

Status = ChecklistItem.Status


@dataclass(frozen=True)
class Progress:
    total: int = 0  # applicable items
    done: int = 0
    not_applicable: int = 0  # justified: the status requires a justification
    open: int = 0
    in_progress: int = 0
    overdue: int = 0  # due date passed, not done and not n/a

    @property
    def ready(self) -> int:
        """Items that need no more work: done or justified not applicable."""
        return self.done + self.not_applicable

    @property
    def percent_ready(self) -> int:
        """Ready over applicable, rounded down (99.5% is not 100%); 0 for an empty list."""
        return percent_of(self.ready, self.total)

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.ready == self.total


def percent_of(ready: int, total: int) -> int:
    """``ready`` over ``total`` as a whole percentage, rounded down; 0 when nothing applies.
    Also for stored figures (the readiness snapshots behind the charts)."""
    return ready * 100 // total if total else 0


FIGURES = ("total", "done", "not_applicable", "open", "in_progress", "overdue")
READY_FIGURES = ("total", "done", "not_applicable")  # enough for ready and percent_ready


def progress_aggregates(
    today, only: Q | None = None, prefix: str = "", figures: tuple[str, ...] = FIGURES
) -> dict:
    """The aggregates behind ``Progress``, for ``aggregate()`` or a grouped ``annotate()``
    on current items (the portfolio dashboards count every algorithm at once with these).
    ``only`` narrows every figure (e.g. to vereisten), ``prefix`` names them apart, and
    ``figures`` picks the figures to count (the others stay 0 in ``progress_from``)."""

    def count(condition: Q | None) -> Count:
        both = condition & only if condition is not None and only is not None else None
        return Count("pk", filter=both or condition or only)

    conditions = {
        "total": None,
        "done": Q(status=Status.DONE),
        "not_applicable": Q(status=Status.NOT_APPLICABLE),
        "open": Q(status=Status.OPEN),
        "in_progress": Q(status=Status.IN_PROGRESS),
        "overdue": Q(due_date__lt=today) & ~Q(status__in=[Status.DONE, Status.NOT_APPLICABLE]),
    }
    return {f"{prefix}{name}": count(conditions[name]) for name in figures}


def progress_from(row: dict, prefix: str = "") -> Progress:
    """A ``Progress`` from a row of ``progress_aggregates`` figures."""
    return Progress(**{name: row.get(f"{prefix}{name}") or 0 for name in FIGURES})


def progress_for(items: ChecklistItemQuerySet, today=None) -> Progress:
    """The figures of the given items (retired ones excluded), in a single query."""
    today = today or timezone.localdate()
    return progress_from(items.current().order_by().aggregate(**progress_aggregates(today)))


def progress_per_algorithm(algorithm_ids, today=None) -> dict[int, Progress]:
    """The ready figures (``READY_FIGURES``) of each algorithm, in one grouped query;
    an algorithm without current items is absent (use ``Progress()``)."""
    today = today or timezone.localdate()
    rows = (
        ChecklistItem.objects.filter(algorithm_id__in=algorithm_ids)
        .current()
        .order_by()
        .values("algorithm_id")
        .annotate(**progress_aggregates(today, figures=READY_FIGURES))
    )
    return {row["algorithm_id"]: progress_from(row) for row in rows}
