"""The checklist: one row per catalog item that applies (or applied) to an algorithm.

A row is keyed on the catalog item row (one file of one release), never on a URN.
Rows are never deleted: an item that stops applying is retired with date and reason
and keeps its status, evidence, risks and comments.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.applicability.scope import origin_name
from tracker.catalog.models import CatalogItem
from tracker.catalog.phases import Phase


class ChecklistItemQuerySet(models.QuerySet):
    def current(self) -> "ChecklistItemQuerySet":
        """Items that apply now (not retired by a phase or profile change)."""
        return self.filter(retired_at__isnull=True)

    def with_status(self, status: str) -> "ChecklistItemQuerySet":
        return self.filter(status=status)

    def owned_by(self, user) -> "ChecklistItemQuerySet":
        return self.filter(owner=user)

    def overdue(self, today=None) -> "ChecklistItemQuerySet":
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(
            status__in=[ChecklistItem.Status.DONE, ChecklistItem.Status.NOT_APPLICABLE]
        )

    def of_kind(self, kind: str) -> "ChecklistItemQuerySet":
        return self.filter(catalog_item__kind=kind)

    def without_owner(self) -> "ChecklistItemQuerySet":
        return self.filter(owner__isnull=True)

    def to_review(self) -> "ChecklistItemQuerySet":
        """Items marked *opnieuw beoordelen*: their content changed in substance at a
        release upgrade and no editor has confirmed them since."""
        return self.filter(review_since__isnull=False)

    def search(self, text: str) -> "ChecklistItemQuerySet":
        """Every word must occur in the item's code, URN or title."""
        query = models.Q()
        for word in text.split():
            query &= (
                models.Q(catalog_item__code__icontains=word)
                | models.Q(catalog_item__urn__icontains=word)
                | models.Q(catalog_item__title__icontains=word)
            )
        return self.filter(query)

    def with_counts(self, today=None) -> "ChecklistItemQuerySet":
        """Annotate ``evidence_count`` (not withdrawn) and ``open_risk_count`` (without a
        valid acceptance, as ResidualRiskQuerySet.unaccepted) in the same query: each a
        subquery per item on its own index, so no row is multiplied by its evidence
        times its risks and grouped again (the checklist page's rows are read this way)."""
        today = today or timezone.localdate()
        evidence = self.model.evidence.rel.related_model.objects
        risks = self.model.risks.rel.related_model.objects
        return self.annotate(
            evidence_count=_count_per_item(evidence.filter(withdrawn_at__isnull=True)),
            open_risk_count=_count_per_item(
                risks.filter(
                    models.Q(accepted_at__isnull=True) | models.Q(acceptance_expires__lt=today)
                )
            ),
        )

    def for_checklist_page(self, today=None) -> "ChecklistItemQuerySet":
        """Rows of the checklist page: catalog item, owner and counts in one query,
        without the long texts and JSON fields no row shows (the item's page reads them)."""
        return (
            self.with_counts(today)
            .select_related("catalog_item", "owner")
            .defer(*PAGE_ROW_DEFERRED)
        )


def _count_per_item(rows: models.QuerySet) -> Coalesce:
    """How many of ``rows`` belong to the outer query's item (0 for none)."""
    counted = (
        rows.filter(item=models.OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(counted), 0)


# A pk no item has: where it stands in a reversed URL, an item's own pk goes.
_PK_PLACEHOLDER = 987654321


def url_per_item(name: str, algorithm_slug: str) -> Callable[[int], str]:
    """``reverse(name, args=[algorithm_slug, pk])`` for any pk, reversed once: for a page
    that links every item (the checklist's rows, the gate's blockers)."""
    pattern = reverse(name, args=[algorithm_slug, _PK_PLACEHOLDER])
    head, tail = pattern.split(f"/{_PK_PLACEHOLDER}/")
    return lambda pk: f"{head}/{pk}/{tail}"


# Neither shown nor needed by a row of the checklist page: read only on the item's page.
PAGE_ROW_DEFERRED = (
    "work_instruction",
    "reasons",
    "review_changes",
    *(
        f"catalog_item__{name}"
        for name in ("summary", "body", "labels", "exceptions", "sources", "front_matter")
    ),
)


class ChecklistItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In behandeling"
        DONE = "done", "Gereed"
        NOT_APPLICABLE = "not_applicable", "Niet van toepassing"

    algorithm = models.ForeignKey(Algorithm, on_delete=models.PROTECT, related_name="items")
    catalog_item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="checklist_items"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    justification = models.TextField(
        "onderbouwing", blank=True, help_text="Required when the status is not applicable"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_items",
        verbose_name="eigenaar",
    )
    due_date = models.DateField("deadline", null=True, blank=True)
    work_instruction = models.TextField("werkinstructie", blank=True)
    reasons = models.JSONField(default=list, help_text="Why the item applies (at last evaluation)")
    origin_phase = models.CharField(
        "uit fase",
        max_length=40,
        choices=Phase,
        blank=True,
        help_text="The phase the item comes from (organisatieverantwoordelijkheden: "
        "organisation-wide); see tracker.applicability.scope",
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)
    review_since = models.DateTimeField(
        "opnieuw beoordelen sinds",
        null=True,
        blank=True,
        help_text="Set when a release upgrade changed the item in substance; cleared on confirm",
    )
    review_changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="What changed: from/to release and item, and the differences",
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save (stale forms)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["catalog_item__kind", "catalog_item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "catalog_item"], name="checklist_item_unique_per_algorithm"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(justification=""),
                name="checklist_item_na_needs_justification",
            ),
        ]
        indexes = [
            models.Index(fields=["algorithm", "status"], name="checklist_item_alg_status"),
            models.Index(fields=["owner", "due_date"], name="checklist_item_owner_due"),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm}: {self.catalog_item}"

    def get_absolute_url(self) -> str:
        return reverse("checklist:item", args=[self.algorithm.slug, self.pk])

    @property
    def origin_name(self) -> str:
        """Where the item comes from, in Dutch: "Ontwerp" or "Organisatiebreed"."""
        return origin_name(self.origin_phase)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def needs_review(self) -> bool:
        return self.review_since is not None

    @property
    def is_finished(self) -> bool:
        """Done, or justified as not applicable: counts as ready."""
        return self.status in (self.Status.DONE, self.Status.NOT_APPLICABLE)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.due_date is not None and self.due_date < today and not self.is_finished


class ItemDecision(models.Model):
    """A go / conditional go / no-go on one checklist item, by an approver. Append-only."""

    class Verdict(models.TextChoices):
        GO = "go", "Go"
        CONDITIONAL = "conditional", "Go onder voorwaarden"
        NO_GO = "no_go", "No-go"

    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="decisions")
    verdict = models.CharField(max_length=12, choices=Verdict)
    conditions = models.TextField("voorwaarden", blank=True)
    rationale = models.TextField("onderbouwing")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(verdict="conditional") | ~models.Q(conditions=""),
                name="item_decision_conditional_needs_conditions",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} — {self.item}"


class Comment(models.Model):
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField("opmerking")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"
