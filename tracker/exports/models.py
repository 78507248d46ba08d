"""The state of a PDF dossier job, shared by the web process and the worker.

A job belongs to an algorithm, not to a user: every reader of the algorithm may follow
and download it (they may generate the same dossier themselves). At most one job per
algorithm is queued or running at a time (a named partial unique constraint), so a
second request joins the first instead of queueing another rendering.

A running job proves it is alive with a heartbeat (``heartbeat_at``, renewed by the
worker every few seconds); one whose heartbeat is older than the lease
(``DOSSIER_JOB_LEASE_SECONDS``, 60 s) lost its worker and is marked failed, with a
retry. The finished PDF is a file in ``settings.DOSSIER_ROOT``; the row keeps its size
and page count.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tracker.algorithms.models import Algorithm

MAX_AGE = timedelta(hours=24)  # a finished PDF is kept this long
STEPS = 2  # 1: collecting and typesetting (one Typst run, no finer progress); 2: done
STEP_LABEL = "gegevens verzamelen en opmaken"


def lease() -> timedelta:
    return timedelta(seconds=settings.DOSSIER_JOB_LEASE_SECONDS)


def queue_patience() -> timedelta:
    """How long a job may wait in the queue before a retry is offered."""
    return 5 * lease()


class DossierJobQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=DossierJob.ACTIVE)

    def stale(self, now=None):
        """Running jobs whose worker gave no sign of life within the lease."""
        now = now or timezone.now()
        return self.filter(state=DossierJob.State.RUNNING, heartbeat_at__lt=now - lease())


class DossierJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "in de wachtrij"
        RUNNING = "running", "wordt gemaakt"
        DONE = "done", "klaar"
        FAILED = "failed", "mislukt"

    ACTIVE = (State.QUEUED, State.RUNNING)
    FINAL = (State.DONE, State.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    algorithm = models.ForeignKey(
        Algorithm, on_delete=models.PROTECT, related_name="dossier_jobs", verbose_name="algoritme"
    )
    generated_by = models.CharField("aangevraagd door", max_length=300)
    state = models.CharField("status", max_length=10, choices=State, default=State.QUEUED)
    step = models.PositiveSmallIntegerField(default=0)
    step_label = models.CharField(max_length=100, blank=True)
    page = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DossierJobQuerySet.as_manager()

    class Meta:
        verbose_name = "dossieropdracht"
        verbose_name_plural = "dossieropdrachten"
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm"],
                condition=Q(state__in=["queued", "running"]),
                name="dossier_job_one_active_per_algorithm",
            )
        ]
        indexes = [
            models.Index(fields=["state", "heartbeat_at"], name="dossier_job_state_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm_id} {self.id} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINAL

    @property
    def done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def steps(self) -> int:
        return STEPS

    def expired(self, now=None) -> bool:
        """A finished PDF older than MAX_AGE is gone (swept)."""
        now = now or timezone.now()
        return self.done and self.finished_at is not None and now - self.finished_at > MAX_AGE

    def waiting_too_long(self, now=None) -> bool:
        """Queued for longer than the queue's patience: no worker seems to take it."""
        now = now or timezone.now()
        return self.state == self.State.QUEUED and now - self.created_at > queue_patience()

    @property
    def retry_offered(self) -> bool:
        return self.finished or self.waiting_too_long()
