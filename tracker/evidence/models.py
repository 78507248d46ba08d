"""Evidence on a checklist item: a file, a URL or a note. Never overwritten;
withdrawing keeps the entry with who, when and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker.checklist.models import ChecklistItem

# Evidence is never overwritten: once written, only the withdrawal may be filled in.
WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawal_reason"})


class EvidenceImmutableError(Exception):
    """Raised on an attempt to overwrite or delete evidence."""


class EvidenceQuerySet(models.QuerySet):
    def active(self) -> "EvidenceQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self) -> "EvidenceQuerySet":
        return self.filter(withdrawn_at__isnull=False)

    def for_algorithm(self, algorithm) -> "EvidenceQuerySet":
        return self.filter(item__algorithm=algorithm)

    def with_people(self) -> "EvidenceQuerySet":
        """Who added and who withdrew, fetched in the same query (for lists)."""
        return self.select_related("added_by", "withdrawn_by")


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", "Bestand"
        URL = "url", "Link"
        NOTE = "note", "Notitie"

    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=8, choices=Kind)
    title = models.CharField("titel", max_length=300)
    file_name = models.CharField(max_length=255, blank=True, help_text="Sanitised original name")
    stored_name = models.CharField(max_length=80, blank=True, unique=True, null=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="file") | models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="evidence_file_has_sha256",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= WITHDRAWAL_FIELDS:
                raise EvidenceImmutableError(
                    "evidence is never overwritten; only a withdrawal may be recorded"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EvidenceImmutableError("evidence is never deleted; withdraw it instead")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE
