"""Recorded decisions at a gate: the pilot decision and the go-live decision.

A decision is never edited: a later one supersedes it. Recording freezes the algorithm's
full state into a snapshot whose hash is stored with it.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker.algorithms.models import Algorithm


class ImmutableError(Exception):
    """Raised on any attempt to change or remove a recorded decision."""


class DecisionQuerySet(models.QuerySet):
    def current(self) -> "DecisionQuerySet":
        return self.filter(superseded_by__isnull=True)


class Decision(models.Model):
    class Gate(models.TextChoices):
        PILOT = "pilot", "Pilotbesluit"
        GO_LIVE = "go_live", "Go-livebesluit"

    class Outcome(models.TextChoices):
        DEVELOP = "develop", "Verder ontwikkelen"
        PHASE_OUT = "phase_out", "Uitfaseren"
        IMPLEMENT = "implement", "Implementeren"
        GO = "go", "Go"
        CONDITIONAL = "conditional", "Go onder voorwaarden"
        NO_GO = "no_go", "No-go"

    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="decisions")
    gate = models.CharField(max_length=10, choices=Gate)
    outcome = models.CharField(max_length=12, choices=Outcome)
    rationale = models.TextField("onderbouwing")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    pilot = models.ForeignKey(
        "tracker.Pilot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The pilot a decision at the pilot gate closes",
    )
    snapshot = models.JSONField(help_text="The algorithm's full state when the decision was taken")
    snapshot_hash = models.CharField(max_length=64)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(gate="pilot", outcome__in=["develop", "phase_out", "implement"])
                    | models.Q(gate="go_live", outcome__in=["go", "conditional", "no_go"])
                ),
                name="decision_outcome_matches_gate",
            ),
            models.CheckConstraint(
                condition=models.Q(pilot__isnull=True) | models.Q(gate="pilot"),
                name="decision_pilot_only_at_pilot_gate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_gate_display()}: {self.get_outcome_display()} ({self.algorithm})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("a recorded decision cannot be changed; record a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a recorded decision cannot be deleted")

    @staticmethod
    def hash_snapshot(snapshot: dict) -> str:
        canonical = json.dumps(
            snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def snapshot_verifies(self) -> bool:
        return self.hash_snapshot(self.snapshot) == self.snapshot_hash


class DecisionConditionQuerySet(models.QuerySet):
    def of_current_go_live(self, algorithm) -> "DecisionConditionQuerySet":
        """The conditions of the algorithm's current (not superseded) go-live decision."""
        return self.filter(
            decision__algorithm=algorithm,
            decision__gate=Decision.Gate.GO_LIVE,
            decision__superseded_by__isnull=True,
        )

    def open(self) -> "DecisionConditionQuerySet":
        return self.filter(status=DecisionCondition.Status.OPEN)


class DecisionCondition(models.Model):
    """A condition of a conditional go: tracked work with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Vervuld"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="conditions")
    blocker_key = models.CharField(
        max_length=100, help_text="The gate blocker this condition covers"
    )
    blocker_label = models.CharField(
        "blokkade", max_length=300, blank=True, help_text="The blocker as the gate named it"
    )
    description = models.TextField("voorwaarde")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decision_conditions"
    )
    due_date = models.DateField("deadline")
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = DecisionConditionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description[:80]
