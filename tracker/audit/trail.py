"""Recording changes in the audit trail.

`record()` appends one entry; `changes_between()` computes the old -> new values of
the fields that differ. Call them inside the transaction that makes the change, so the
entry and the change commit together or not at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from tracker.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64

# Sent after entries were appended, inside the change's transaction, with
# ``algorithm_ids`` (the algorithms the entries concern). Lets other concerns follow
# every recorded change (e.g. the register entry's "changed since export") without
# the domains that make the changes knowing about them.
changes_recorded = Signal()


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


def _entry(*, seq: int, prev_hash: str, at, actor, obj, action, changes, algorithm, repr_=None):
    """One chained entry (not saved): the fields and hash every append computes alike."""
    authenticated = getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor if authenticated else None,
        actor_name=actor.get_username() if authenticated else "",
        algorithm=algorithm,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=(str(obj) if repr_ is None else repr_)[:300],
        action=action,
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        prev_hash=prev_hash,
    )
    entry.hash = entry.compute_hash()
    return entry


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
        entry = _entry(
            seq=head.last_seq + 1,
            prev_hash=head.last_hash,
            at=timezone.now(),
            actor=actor,
            obj=obj,
            action=action,
            changes=changes,
            algorithm=algorithm,
        )
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
        if entry.algorithm_id is not None:
            changes_recorded.send(sender=AuditEntry, algorithm_ids={entry.algorithm_id})
    return entry


@dataclass(frozen=True)
class Pending:
    """One entry for ``record_many``: the arguments of ``record()``, plus an optional
    time (``at``, default now) and text for the object (``repr_``, default ``str(obj)``)."""

    actor: object
    obj: models.Model
    action: str
    changes: dict | None = None
    algorithm: object = None
    at: datetime | None = None
    repr_: str | None = None


def record_many(pending: Iterable[Pending], batch_size: int = 1000) -> int:
    """Append many entries at once (bulk inserts), chained exactly as ``record()`` chains
    them, in the given order, under the same row lock. Returns the number appended."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev_hash, now = head.last_seq, head.last_hash, timezone.now()
        batch: list[AuditEntry] = []
        count = 0
        algorithm_ids: set[int] = set()
        for row in pending:
            entry = _entry(
                seq=seq + 1,
                prev_hash=prev_hash,
                at=(row.at or now).astimezone(UTC),
                actor=row.actor,
                obj=row.obj,
                action=row.action,
                changes=row.changes,
                algorithm=row.algorithm,
                repr_=row.repr_,
            )
            seq, prev_hash = entry.seq, entry.hash
            if entry.algorithm_id is not None:
                algorithm_ids.add(entry.algorithm_id)
            batch.append(entry)
            if len(batch) >= batch_size:
                AuditEntry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
        count += len(batch)
        head.last_seq, head.last_hash = seq, prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
        if algorithm_ids:
            changes_recorded.send(sender=AuditEntry, algorithm_ids=algorithm_ids)
    return count
