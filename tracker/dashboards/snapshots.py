"""Writing the daily readiness snapshot from the portfolio's own figures."""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.dashboards.models import ReadinessSnapshot
from tracker.dashboards.portfolio import PortfolioRow, portfolio_rows


def snapshot_of(row: PortfolioRow, day: date) -> ReadinessSnapshot:
    return ReadinessSnapshot(
        algorithm=row.algorithm,
        date=day,
        applicable=row.progress.total,
        ready=row.progress.ready,
        requirements_applicable=row.requirements.total,
        requirements_ready=row.requirements.ready,
        blockers=row.blockers,
        overdue=row.overdue,
        unaccepted_risks=row.unaccepted_risks,
    )


def save_snapshots(snapshots: list[ReadinessSnapshot]) -> None:
    """Insert, or overwrite the row of the same algorithm and day (idempotent)."""
    ReadinessSnapshot.objects.bulk_create(
        snapshots,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["algorithm", "date"],
        update_fields=[*ReadinessSnapshot.FIGURES, "recorded_at"],
    )


@transaction.atomic
def snapshot_readiness(algorithms: QuerySet | None = None, today: date | None = None) -> int:
    """Today's snapshot of every algorithm (or the given ones); returns how many."""
    today = today or timezone.localdate()
    algorithms = algorithms if algorithms is not None else Algorithm.objects.all()
    snapshots = [snapshot_of(row, today) for row in portfolio_rows(algorithms, today)]
    save_snapshots(snapshots)
    return len(snapshots)
