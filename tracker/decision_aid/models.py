"""Imported versions of the decision tree and the runs stored per algorithm."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import version_key
from tracker.decision_aid.tree import Tree


class DecisionTreeQuerySet(models.QuerySet):
    def current(self) -> "DecisionTree | None":
        """The newest version of the aid by its label (``v1.2.24`` after ``v1.2.23``,
        whichever was imported last); among equal versions the one imported last."""
        trees = self.only("pk", "label", "imported_at")
        newest = max(trees, key=lambda t: (version_key(t.label), t.imported_at, t.pk), default=None)
        return None if newest is None else self.get(pk=newest.pk)


class DecisionTree(models.Model):
    """One imported version of the beslishulp (its whole tree as JSON). Never changed."""

    label = models.CharField("versie", max_length=40, unique=True)
    name = models.CharField("naam", max_length=200)
    source = models.CharField("bron", max_length=500)
    content_hash = models.CharField("inhoudshash", max_length=64, unique=True)
    data = models.JSONField("beslisboom", help_text="the parsed tree (Tree.to_data())")
    question_count = models.PositiveIntegerField("aantal vragen", default=0)
    conclusion_count = models.PositiveIntegerField("aantal conclusies", default=0)
    imported_at = models.DateTimeField("geïmporteerd op", default=timezone.now)

    objects = DecisionTreeQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.label}"

    def is_newer_than(self, other: "DecisionTree") -> bool:
        """Whether this version comes after ``other`` (by version, then import time)."""
        mine = (version_key(self.label), self.imported_at, self.pk)
        return mine > (version_key(other.label), other.imported_at, other.pk)

    def tree(self) -> Tree:
        cached = getattr(self, "_tree", None)
        if cached is None:
            cached = self._tree = Tree.from_data(self.data)
        return cached


class DecisionAidRun(models.Model):
    """One completed walk of the aid for an algorithm: the grounds for its profile.

    Append-only in spirit: a newer run is added, an older one stays. ``review_tree``
    is set when a newer tree changed a question or the conclusion on this run's path
    (*classificatie opnieuw bekijken*)."""

    algorithm = models.ForeignKey(
        Algorithm,
        on_delete=models.PROTECT,
        related_name="decision_aid_runs",
        verbose_name="algoritme",
    )
    tree = models.ForeignKey(
        DecisionTree, on_delete=models.PROTECT, related_name="runs", verbose_name="versie"
    )
    steps = models.JSONField(
        "vragen en antwoorden", help_text="[{question_id, question, answer, labels}] in order"
    )
    labels = models.JSONField(
        "labels van de beslishulp", help_text="[[group, label]] collected, in the aid's spelling"
    )
    content_labels = models.JSONField(
        "labels van het Algoritmekader", help_text="the Algoritmekader's labels"
    )
    profile = models.JSONField("AI-profiel", help_text="the resulting Algorithm profile fields")
    conclusion_id = models.CharField("conclusienummer", max_length=20)
    conclusion = models.TextField("conclusie")
    obligation = models.TextField("verplichtingen", blank=True)
    applied = models.BooleanField("toegepast", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="ingevuld door"
    )
    created_at = models.DateTimeField("ingevuld op", default=timezone.now)
    review_tree = models.ForeignKey(
        DecisionTree,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="opnieuw bekijken na versie",
    )
    review_reason = models.TextField("reden om opnieuw te bekijken", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["algorithm", "-created_at"], name="aid_run_algorithm_created")
        ]

    def __str__(self) -> str:
        return f"Beslishulp {self.tree.label} — {self.algorithm}"

    @property
    def question_ids(self) -> list[str]:
        return [step["question_id"] for step in self.steps]

    @property
    def needs_review(self) -> bool:
        return self.review_tree_id is not None
