"""The daily readiness snapshot: one row per algorithm per day, for "readiness over time".

Written by ``manage.py snapshot_readiness`` (idempotent: a second run on the same day
overwrites that day's row) from the same figures the portfolio shows.
"""

from django.db import models
from django.utils import timezone

from tracker.algorithms.models import Algorithm


class ReadinessSnapshotQuerySet(models.QuerySet):
    def of(self, algorithms: models.QuerySet) -> "ReadinessSnapshotQuerySet":
        return self.filter(algorithm__in=algorithms.order_by().values("pk"))

    def since(self, day) -> "ReadinessSnapshotQuerySet":
        return self.filter(date__gte=day)

    def totals_per_day(self) -> "ReadinessSnapshotQuerySet":
        """Sums over the algorithms per day, oldest first (one row per day)."""
        return (
            self.order_by()
            .values("date")
            .annotate(
                applicable=models.Sum("applicable"),
                ready=models.Sum("ready"),
                requirements_applicable=models.Sum("requirements_applicable"),
                requirements_ready=models.Sum("requirements_ready"),
                blockers=models.Sum("blockers"),
            )
            .order_by("date")
        )


class ReadinessSnapshot(models.Model):
    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.PROTECT, related_name="readiness_snapshots"
    )
    date = models.DateField("datum")
    applicable = models.PositiveIntegerField("van toepassing")
    ready = models.PositiveIntegerField("gereed")
    requirements_applicable = models.PositiveIntegerField("vereisten van toepassing")
    requirements_ready = models.PositiveIntegerField("vereisten gereed")
    blockers = models.PositiveIntegerField("blokkades go-live")
    overdue = models.PositiveIntegerField("te laat")
    unaccepted_risks = models.PositiveIntegerField("restrisico's niet geaccepteerd")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ReadinessSnapshotQuerySet.as_manager()

    FIGURES = (
        "applicable",
        "ready",
        "requirements_applicable",
        "requirements_ready",
        "blockers",
        "overdue",
        "unaccepted_risks",
    )

    class Meta:
        ordering = ["date", "algorithm_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "date"], name="readiness_snapshot_one_per_day"
            )
        ]
        indexes = [
            # Covers the totals per day of many algorithms (the portfolio's chart).
            models.Index(
                fields=[
                    "date",
                    "algorithm",
                    "applicable",
                    "ready",
                    "requirements_applicable",
                    "requirements_ready",
                    "blockers",
                ],
                name="readiness_snapshot_day_totals",
            )
        ]

    def __str__(self) -> str:
        return f"{self.algorithm_id} @ {self.date}: {self.ready}/{self.applicable}"
