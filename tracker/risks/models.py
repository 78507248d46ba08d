"""Residual risks: what remains after the measures, and its acceptance by an approver."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tracker.checklist.models import ChecklistItem

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class ResidualRiskQuerySet(models.QuerySet):
    def for_algorithm(self, algorithm) -> "ResidualRiskQuerySet":
        return self.filter(item__algorithm=algorithm)

    def with_people(self) -> "ResidualRiskQuerySet":
        """Owner, creator and approver fetched in the same query (for lists)."""
        return self.select_related("owner", "created_by", "accepted_by")

    def accepted(self, today=None) -> "ResidualRiskQuerySet":
        """Risks with a valid acceptance (accepted, not expired)."""
        today = today or timezone.localdate()
        return self.filter(accepted_at__isnull=False).filter(
            models.Q(acceptance_expires__isnull=True) | models.Q(acceptance_expires__gte=today)
        )

    def unaccepted(self, today=None) -> "ResidualRiskQuerySet":
        """Risks without a valid acceptance (never accepted, or the acceptance expired)."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(accepted_at__isnull=True) | models.Q(acceptance_expires__lt=today)
        )


class ResidualRisk(models.Model):
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="risks")
    description = models.TextField("omschrijving")
    likelihood = models.PositiveSmallIntegerField("kans", validators=SCALE)
    impact = models.PositiveSmallIntegerField("impact", validators=SCALE)
    mitigation = models.TextField("beheersmaatregel", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_risks",
        verbose_name="eigenaar",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    acceptance_expires = models.DateField("acceptatie geldig tot", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ResidualRiskQuerySet.as_manager()

    class Meta:
        ordering = ["-likelihood", "-impact", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def acceptance_expired(self) -> bool:
        """Accepted once, but the acceptance has run out."""
        return self.accepted_at is not None and not self.is_accepted()

    def is_accepted(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.accepted_at is None:
            return False
        return self.acceptance_expires is None or self.acceptance_expires >= today
