"""Recording changes in the audit trail.

`record()` appends one entry; `changes_between()` computes the old -> new values of
the fields that differ. Call them inside the transaction that makes the change, so the
entry and the change commit together or not at all.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from tracker.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def _plain(value):
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The current values of the named fields (FKs by their string form)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict, after: dict) -> dict:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: dict | None = None,
    algorithm=None,
) -> AuditEntry:
    """Append one entry to the chain. Serialised by a row lock on the chain head."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=actor.get_username() if getattr(actor, "is_authenticated", False) else "",
            algorithm=algorithm,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            action=action,
            changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry
