"""Algorithms (the systems being tracked), their AI profile and their members."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from tracker.applicability.labels import DIMENSIONS
from tracker.applicability.profile import AIProfile
from tracker.catalog.models import ContentRelease
from tracker.catalog.phases import LIFECYCLE_CHOICES, Phase
from tracker.organisations.models import Organisation


class AlgorithmQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AlgorithmQuerySet":
        """Algorithms the user is a member of, or may read as portfolio viewer.

        Subqueries rather than joins: no duplicate rows to remove with ``distinct()``,
        and no join of every membership with every organisation member (the portfolio
        lists up to 1,000 algorithms with this filter)."""
        if not user.is_authenticated:
            return self.none()
        from tracker.organisations.models import OrganisationMembership

        viewer_of = OrganisationMembership.objects.filter(user=user, is_portfolio_viewer=True)
        return self.filter(
            models.Q(pk__in=Membership.objects.filter(user=user).values("algorithm_id"))
            | models.Q(organisation__in=viewer_of.values("organisation_id"))
        )

    def on_older_release(self) -> "AlgorithmQuerySet":
        """Algorithms that follow an Algoritmekader release older than the newest one."""
        newest = ContentRelease.latest()
        return self.exclude(release=newest) if newest is not None else self.none()


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
    phase = models.CharField(
        "fase", max_length=40, choices=LIFECYCLE_CHOICES, default=Phase.PROBLEEMANALYSE
    )
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
            ),
            models.CheckConstraint(
                condition=~models.Q(phase=Phase.ORGANISATIE),
                name="algorithm_phase_in_lifecycle",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("algorithms:detail", args=[self.slug])

    # Stage -> the ``stap`` of the content pack's criteria.
    CRITERION_STAGES = {"pilot": "pilot", "production": "productie"}

    def profile(self) -> AIProfile:
        """The AI profile that decides which vereisten apply (see tracker.applicability)."""
        if not self.is_ai_system:
            return AIProfile.not_ai(impactful=self.impactful)
        return AIProfile(
            is_ai_system=True,
            soort_toepassing=self.soort_toepassing,
            risicogroep=self.risicogroep,
            rol_ai_act=frozenset(self.rol_ai_act or ()),
            transparantieverplichting=self.transparantieverplichting,
            systeemrisico=self.systeemrisico,
            open_source=self.open_source,
            impactful=self.impactful,
        )

    def profile_rows(self) -> list[tuple[str, str]]:
        """The AI profile in readable Dutch, as (label, value) rows."""
        rows = [
            ("AI-systeem", "ja" if self.is_ai_system else "nee"),
            ("Impactvol", "ja" if self.impactful else "nee"),
        ]
        if self.is_ai_system:
            for dim in DIMENSIONS:
                raw = getattr(self, dim.field)
                values = raw if isinstance(raw, list) else [raw] if raw else []
                shown = ", ".join(dim.value_name(value) for value in values) or "—"
                rows.insert(-1, (dim.name, shown))
        return rows

    @property
    def criterion_stage(self) -> str:
        """The ``stap`` of the pack criteria that apply now ("" outside a stage)."""
        return self.CRITERION_STAGES.get(self.stage, "")


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
