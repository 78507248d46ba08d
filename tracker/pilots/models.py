"""The pilot: a bounded trial on production data, its success criteria and its evaluation."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker.algorithms.models import Algorithm


class PilotQuerySet(models.QuerySet):
    def with_details(self) -> "PilotQuerySet":
        """Everything the pilot page shows, in a fixed number of queries."""
        return self.select_related("created_by", "evaluation__evaluated_by").prefetch_related(
            "criteria", "evaluation__results"
        )


class Pilot(models.Model):
    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="pilots")
    start_date = models.DateField("startdatum")
    end_date = models.DateField("einddatum")
    max_cases = models.PositiveIntegerField("maximaal aantal zaken", null=True, blank=True)
    other_limit = models.TextField("andere begrenzing", blank=True)
    units = models.TextField("betrokken organisatieonderdelen")
    processes_production_data = models.BooleanField("verwerkt productiedata", default=True)
    legal_basis = models.TextField("grondslag voor de verwerking", blank=True)
    legal_basis_url = models.URLField("link naar DPIA of ander bewijs", max_length=2000, blank=True)
    participants = models.TextField("deelnemende gebruikers")
    agreements = models.TextField("afspraken tussen ontwikkelteam en pilotgebruikers")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PilotQuerySet.as_manager()

    class Meta:
        # The same order the decision snapshot uses to pick "the" pilot: newest first.
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="pilot_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(processes_production_data=False) | ~models.Q(legal_basis=""),
                name="pilot_production_data_needs_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"Pilot {self.algorithm} ({self.start_date} – {self.end_date})"

    @property
    def evaluation_or_none(self) -> "PilotEvaluation | None":
        try:
            return self.evaluation
        except PilotEvaluation.DoesNotExist:
            return None

    def has_ended(self, today) -> bool:
        return self.end_date < today

    def missing_results(self) -> list["SuccessCriterion"]:
        """Success criteria without a measured value in the evaluation (all if none)."""
        evaluation = self.evaluation_or_none
        if evaluation is None:
            return list(self.criteria.all())
        measured = {result.criterion_id for result in evaluation.results.all()}
        return [criterion for criterion in self.criteria.all() if criterion.pk not in measured]


class SuccessCriterion(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.PROTECT, related_name="criteria")
    name = models.CharField("naam", max_length=200)
    metric = models.CharField("maatstaf", max_length=300)
    expected = models.CharField("verwachte waarde of bandbreedte", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class PilotEvaluation(models.Model):
    pilot = models.OneToOneField(Pilot, on_delete=models.PROTECT, related_name="evaluation")
    usability_findings = models.TextField("kunnen gebruikers met de output werken?")
    other_findings = models.TextField("overige bevindingen", blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Evaluatie {self.pilot}"


class CriterionResult(models.Model):
    evaluation = models.ForeignKey(
        PilotEvaluation, on_delete=models.PROTECT, related_name="results"
    )
    criterion = models.ForeignKey(
        SuccessCriterion, on_delete=models.PROTECT, related_name="results"
    )
    measured_value = models.CharField("gemeten waarde", max_length=200)
    met = models.BooleanField("gehaald")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="criterion_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.measured_value}"
