"""The audit trail: an append-only log, each entry chained by hash to the previous one."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast

from tracker.audit import labels


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def for_item(self, item: models.Model) -> "AuditEntryQuerySet":
        """A checklist item's trail: the item and its evidence, risks, decisions and comments."""
        query = models.Q(object_type=item._meta.label_lower, object_id=str(item.pk))
        for related in ("evidence", "risks", "decisions", "comments"):
            rows = getattr(item, related).all()
            ids = rows.order_by().annotate(sid=Cast("pk", models.CharField())).values("sid")
            query |= models.Q(object_type=rows.model._meta.label_lower, object_id__in=ids)
        return self.filter(query)

    def of_type(self, object_type: str) -> "AuditEntryQuerySet":
        return self.filter(object_type=object_type)

    def by_actor(self, actor_id: int) -> "AuditEntryQuerySet":
        return self.filter(actor_id=actor_id)


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    algorithm = models.ForeignKey(
        "tracker.Algorithm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, help_text="field -> [old, new]")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["algorithm", "-seq"], name="audit_algorithm_seq"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def action_label(self) -> str:
        return labels.action_label(self.action)

    @property
    def object_type_label(self) -> str:
        return labels.object_type_label(self.object_type)

    def change_list(self) -> list[labels.Change]:
        """The changes as readable old -> new rows (no queries)."""
        return labels.changes(self.object_type, self.changes or {})

    def payload(self) -> dict:
        """Everything the hash covers, in a canonical form."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "algorithm_id": self.algorithm_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "changes": self.changes,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.payload(),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the chain's tip; locked while appending so the chain never forks."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
