"""The catalog: imported releases of the Algoritmekader and the project's own pack.

Every row belongs to one ContentRelease. Inside a release an item is identified by
its kind and file slug, never by its URN alone: URNs get reused for different items
between releases and even within one (see the content's README).
"""

import re

from django.db import models
from django.urls import reverse

VERSION_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def version_key(label: str) -> str:
    """A sortable key for the version in a release label: ``v2.5.1`` -> ``000002.000005.000001``.

    The first run of dotted numbers in the label counts (``v2.5.1``, ``2.5.1``,
    ``Algoritmekader-2.5.1``); each part is zero-padded so that the keys sort as versions
    (2.10 after 2.9, 2.5.1 after 2.5). A label without a number gets "" and sorts before
    every numbered one."""
    found = VERSION_NUMBER.search(label or "")
    if found is None:
        return ""
    return ".".join(f"{int(part):06d}" for part in found.group().split(".")[:8])


class ContentRelease(models.Model):
    """One imported version of a content source (Algoritmekader or our own pack)."""

    class Source(models.TextChoices):
        ALGORITMEKADER = "algoritmekader", "Algoritmekader"
        PACK = "pack", "Eigen contentpakket"

    label = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Source, default=Source.ALGORITMEKADER)
    source = models.CharField(max_length=500, help_text="Folder, archive or URL imported from")
    content_hash = models.CharField(max_length=64, help_text="sha256 over all imported files")
    imported_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    abbreviations = models.JSONField(
        default=dict,
        blank=True,
        help_text="Glossary (includes/begrippenlijst.md): term -> explanation, shown as <abbr>",
    )
    version_key = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text="Sortable version from the label (see version_key()); set on save",
    )

    class Meta:
        # Newest version first: "the current release" is the newest version, not the
        # one imported last (importing v1.6.1 after v2.5.1 keeps v2.5.1 current).
        ordering = ["-version_key", "-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_hash"], name="release_unique_content_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        self.version_key = version_key(self.label)
        if kwargs.get("update_fields") is not None and "label" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version_key"}
        super().save(*args, **kwargs)

    @classmethod
    def latest(cls, kind: str = Source.ALGORITMEKADER) -> "ContentRelease | None":
        """The current release of a kind: the newest version (the Algoritmekader and the
        project's own pack each have their own)."""
        return cls.objects.filter(kind=kind).first()

    def sort_key(self) -> tuple:
        """The order of ``Meta.ordering`` as a Python value (larger is newer)."""
        return (self.version_key, self.imported_at, self.pk)

    def newer_release(self) -> "ContentRelease | None":
        """The current release of this kind when it is newer than this one, else None."""
        newest = ContentRelease.latest(self.kind)
        if newest is None or newest.pk == self.pk or newest.sort_key() <= self.sort_key():
            return None
        return newest


class Taxon(models.Model):
    """A lifecycle phase, topic or role page of one release."""

    class Kind(models.TextChoices):
        PHASE = "phase", "Levenscyclusfase"
        TOPIC = "topic", "Onderwerp"
        ROLE = "role", "Rol"

    release = models.ForeignKey(ContentRelease, on_delete=models.PROTECT, related_name="taxa")
    kind = models.CharField(max_length=10, choices=Kind)
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind", "slug"], name="taxon_unique_slug_per_release"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Law(models.Model):
    """A law or regulation, by the code prefix of a vereiste (e.g. ``aia``, ``avg``)."""

    release = models.ForeignKey(ContentRelease, on_delete=models.PROTECT, related_name="laws")
    code = models.SlugField(max_length=20)
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="law_unique_code_per_release")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code.upper()})"


class CatalogItemQuerySet(models.QuerySet):
    def in_release(self, release: ContentRelease) -> "CatalogItemQuerySet":
        return self.filter(release=release)

    def requirements(self) -> "CatalogItemQuerySet":
        return self.filter(kind=CatalogItem.Kind.REQUIREMENT)

    def measures(self) -> "CatalogItemQuerySet":
        return self.filter(kind=CatalogItem.Kind.MEASURE)

    def in_phase(self, slug: str) -> "CatalogItemQuerySet":
        return self.filter(phases__slug=slug)

    def about(self, topic_slug: str) -> "CatalogItemQuerySet":
        return self.filter(topics__slug=topic_slug)

    def for_role(self, role_slug: str) -> "CatalogItemQuerySet":
        return self.filter(roles__slug=role_slug)

    def under_law(self, code: str) -> "CatalogItemQuerySet":
        return self.filter(law__code=code)

    def linked_to_law(self, code: str) -> "CatalogItemQuerySet":
        """Items (maatregelen, hulpmiddelen) that link to a vereiste under this law."""
        linking = self.model.objects.filter(links__law__code=code).values("pk")
        return self.filter(pk__in=linking)

    def search(self, text: str) -> "CatalogItemQuerySet":
        query = models.Q()
        for word in text.split():
            query &= (
                models.Q(title__icontains=word)
                | models.Q(summary__icontains=word)
                | models.Q(urn__icontains=word)
                | models.Q(body__icontains=word)
            )
        return self.filter(query)


class CatalogItem(models.Model):
    """A vereiste, maatregel or hulpmiddel as one file of one release."""

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", "Vereiste"
        MEASURE = "measure", "Maatregel"
        INSTRUMENT = "instrument", "Hulpmiddel"
        CRITERION = "criterion", "Criterium"  # the project's own pack: pilot and go-live

    release = models.ForeignKey(ContentRelease, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=12, choices=Kind)
    slug = models.CharField(max_length=200, help_text="File name without .md: unique per release")
    urn = models.CharField(max_length=100, blank=True, db_index=True)
    code = models.CharField(max_length=30, blank=True, help_text="e.g. aia-09 or imp-01")
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True, help_text="toelichting")
    body = models.TextField(blank=True, help_text="markdown as in the content")
    path = models.CharField(max_length=300, help_text="path inside the release")
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the file")
    law = models.ForeignKey(Law, null=True, blank=True, on_delete=models.PROTECT)
    labels = models.JSONField(default=dict, help_text="AI Act label dimension -> values")
    exceptions = models.JSONField(default=list, help_text="uitzondering expressions")
    sources = models.JSONField(default=dict, help_text="audit-framework references")
    front_matter = models.JSONField(default=dict)
    phases = models.ManyToManyField(Taxon, related_name="+", blank=True)
    topics = models.ManyToManyField(Taxon, related_name="+", blank=True)
    roles = models.ManyToManyField(Taxon, related_name="+", blank=True)
    links = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="linked_from",
        blank=True,
        help_text="vereisten (and for hulpmiddelen maatregelen) this item links to",
    )

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind", "slug"], name="item_unique_slug_per_release"
            )
        ]
        indexes = [models.Index(fields=["release", "kind", "code"], name="item_release_kind_code")]

    def __str__(self) -> str:
        return f"{self.code or self.slug}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:item", args=[self.release.label, self.kind, self.slug])

    @property
    def law_code(self) -> str:
        return self.code.split("-", 1)[0] if self.kind == self.Kind.REQUIREMENT else ""


class AuditNorm(models.Model):
    """A norm of an audit framework (ARK or ADR) mapped to maatregelen."""

    class Framework(models.TextChoices):
        ARK = "ARK", "Algemene Rekenkamer"
        ADR = "ADR", "Auditdienst Rijk"

    release = models.ForeignKey(ContentRelease, on_delete=models.PROTECT, related_name="norms")
    framework = models.CharField(max_length=10, choices=Framework)
    number = models.CharField(max_length=30)
    measures = models.ManyToManyField(CatalogItem, related_name="norms", blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "framework", "number"], name="norm_unique_per_release"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.number}"
