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


class AlgorithmStatus(models.TextChoices):
    """Where an algorithm stands (tracker.dashboards.status), as a manager reads it."""

    READY = "klaar", "Klaar voor go-live"
    BLOCKED = "geblokkeerd", "Geblokkeerd"
    PILOT = "pilot", "In pilot"
    PRODUCTION = "productie", "In productie"
    DEVELOPMENT = "ontwikkeling", "In ontwikkeling"


class AlgorithmFigures(models.Model):
    """The portfolio's figures of one algorithm, maintained: recomputed for the algorithm
    inside the transaction of every audited change that concerns it
    (tracker.dashboards.figures), so that the portfolio sorts, filters and pages in the
    database and reads only the rows it shows. Derived data: never edited by hand.

    Some figures change with the date alone (an item becomes overdue, a risk acceptance
    expires): ``valid_until`` is the first day on which one of them would change, and a
    row is recomputed when read on or after it (or before ``computed_on``)."""

    algorithm = models.OneToOneField(
        Algorithm, on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    computed_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    # Progress (tracker.checklist.progress) of every current item and of the vereisten.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    not_applicable = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    ready = models.PositiveIntegerField(default=0)
    percent_ready = models.PositiveSmallIntegerField(default=0)
    req_total = models.PositiveIntegerField(default=0)
    req_done = models.PositiveIntegerField(default=0)
    req_not_applicable = models.PositiveIntegerField(default=0)
    req_ready = models.PositiveIntegerField(default=0)
    req_percent_ready = models.PositiveSmallIntegerField(default=0)
    # The go-live gate (tracker.gates): blockers in all and per category.
    go_live_blockers = models.PositiveIntegerField(default=0)
    blocker_counts = models.JSONField(default=dict)
    unaccepted_risks = models.PositiveIntegerField(default=0)
    # Where it stands (tracker.dashboards.status).
    status = models.CharField(max_length=12, choices=AlgorithmStatus)
    status_reason = models.CharField(max_length=300, blank=True)
    next_gate = models.CharField(max_length=10, blank=True)
    next_gate_blockers = models.PositiveIntegerField(default=0)
    # The last decision and the current pilot.
    last_decision_gate = models.CharField(max_length=10, blank=True)
    last_decision_outcome = models.CharField(max_length=12, blank=True)
    last_decision_at = models.DateTimeField(null=True, blank=True)
    pilot_start = models.DateField(null=True, blank=True)
    pilot_decided = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["valid_until"], name="algorithm_figures_valid_until")]

    def __str__(self) -> str:
        return f"{self.algorithm_id}: {self.status} ({self.ready}/{self.total})"


class AlgorithmTopicFigures(models.Model):
    """Progress per topic (onderwerp) of one algorithm's current items, maintained with
    ``AlgorithmFigures`` (tracker.dashboards.figures): the portfolio's "gereed per
    onderwerp" adds these up instead of grouping every item. An item with several topics
    counts for each of them."""

    algorithm = models.ForeignKey(Algorithm, on_delete=models.CASCADE, related_name="topic_figures")
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=300)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    not_applicable = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "slug"], name="algorithm_topic_once")
        ]

    def __str__(self) -> str:
        return f"{self.algorithm_id}/{self.slug}: {self.done + self.not_applicable}/{self.total}"
