"""Algorithms (the systems being tracked), their AI profile and their members."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from tracker.catalog.models import ContentRelease
from tracker.catalog.phases import Phase
from tracker.organisations.models import Organisation


class AlgorithmQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AlgorithmQuerySet":
        """Algorithms the user is a member of, or may read as portfolio viewer."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(memberships__user=user)
            | models.Q(
                organisation__memberships__user=user,
                organisation__memberships__is_portfolio_viewer=True,
            )
        ).distinct()


class Algorithm(models.Model):
    class Stage(models.TextChoices):
        NONE = "", "—"
        PILOT = "pilot", "Pilot"
        PRODUCTION = "production", "Productie"

    name = models.CharField("naam", max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField("omschrijving", blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="algorithms",
        verbose_name="organisatie",
    )
    phase = models.CharField("fase", max_length=40, choices=Phase, default=Phase.PROBLEEMANALYSE)
    stage = models.CharField("stap", max_length=12, choices=Stage, blank=True, default=Stage.NONE)
    # AI profile: values as in the content's labels (see tracker.applicability.labels).
    is_ai_system = models.BooleanField("AI-systeem", default=False)
    soort_toepassing = models.CharField("soort toepassing", max_length=60, blank=True)
    risicogroep = models.CharField("risicogroep", max_length=60, blank=True)
    rol_ai_act = models.JSONField("rol onder de AI-verordening", default=list, blank=True)
    transparantieverplichting = models.CharField(max_length=60, blank=True)
    systeemrisico = models.CharField(max_length=60, blank=True)
    open_source = models.CharField("open source", max_length=60, blank=True)
    impactful = models.BooleanField("impactvol", default=False)
    release = models.ForeignKey(
        ContentRelease,
        on_delete=models.PROTECT,
        related_name="algorithms",
        verbose_name="release van het Algoritmekader",
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save (stale forms)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlgorithmQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage="") | models.Q(phase=Phase.IMPLEMENTATIE),
                name="algorithm_stage_only_in_implementatie",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("algorithms:detail", args=[self.slug])


class Membership(models.Model):
    """A user's role on one algorithm."""

    class Role(models.TextChoices):
        VIEWER = "viewer", "Lezer"
        CONTRIBUTOR = "contributor", "Bijdrager"
        APPROVER = "approver", "Accordeerder"
        OWNER = "owner", "Eigenaar"

    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="algorithm_memberships"
    )
    role = models.CharField(max_length=12, choices=Role)

    class Meta:
        ordering = ["algorithm", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.algorithm}"
