"""Recording changes in the audit trail.

`record()` appends one entry; `changes_between()` computes the old -> new values of
the fields that differ. Call them inside the transaction that makes the change, so the
entry and the change commit together or not at all: best inside `atomic()` (below),
which appends every entry of the transaction at its end, the chain head locked last.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import wraps

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from tracker.accounts.names import display_name
from tracker.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64

# Sent inside the change's transaction right before its entries are appended (before
# the chain head is locked, so that what receivers write is locked before the head),
# with ``algorithm_ids`` (the algorithms the entries concern). Lets other concerns
# follow every recorded change (e.g. the register entry's "changed since export")
# without the domains that make the changes knowing about them.
changes_recorded = Signal()


def _plain(value):
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, AbstractBaseUser):
        return display_name(value)
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


def _entry(
    *, seq: int, prev_hash: str, at, actor, obj, action, changes, algorithm, repr_=None, pk=None
):
    """One chained entry (not saved): the fields and hash every append computes alike."""
    authenticated = getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor if authenticated else None,
        actor_name=display_name(actor) if authenticated else "",
        algorithm=algorithm,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk if pk is None else pk),
        object_repr=(str(obj) if repr_ is None else repr_)[:300],
        action=action,
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        prev_hash=prev_hash,
    )
    entry.hash = entry.compute_hash()
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
    pk: object = None

    def frozen(self) -> "Pending":
        """This entry with the object's key and text and the changes taken now, so that
        what is appended later says what was true when the change was recorded (also of
        an object deleted after it)."""
        changes = {k: [_plain(v[0]), _plain(v[1])] for k, v in (self.changes or {}).items()}
        repr_ = str(self.obj) if self.repr_ is None else self.repr_
        return replace(self, changes=changes, repr_=repr_, pk=self.obj.pk)


# The entries recorded inside the current ``atomic()`` block, appended when it ends.
_collected: ContextVar[list[Pending] | None] = ContextVar("audit_collected", default=None)


@contextmanager
def _collecting():
    parent = _collected.get()
    entries: list[Pending] = []
    token = _collected.set(entries)
    with transaction.atomic():
        try:
            yield
        finally:
            _collected.reset(token)
        if parent is not None:
            parent.extend(entries)  # the outermost block appends them
        elif entries:
            _append(entries)


def atomic(func=None):
    """``transaction.atomic()`` for audited writes, as a decorator or a context manager.

    ``record()`` and ``record_many()`` inside it only collect their entries; the block
    appends them all at its very end, still inside the transaction. So the audit chain
    head, the one row every audited write in the app shares, is the last lock a write
    takes and is held only for the append and the commit: rows are always locked in the
    order algorithm, item (or other object), chain head, and no write waits for the head
    while holding a row that the head's holder needs. Nested blocks hand their entries to
    the outermost one; a block that raises discards its own.
    """
    if func is None:
        return _collecting()

    @wraps(func)
    def inner(*args, **kwargs):
        with _collecting():
            return func(*args, **kwargs)

    return inner


def record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: dict | None = None,
    algorithm=None,
) -> AuditEntry | None:
    """Append one entry to the chain: at the end of the enclosing ``atomic()`` block
    (returns None: the entry has no place in the chain yet), or at once in a transaction
    of its own outside one (returns the entry)."""
    row = Pending(actor=actor, obj=obj, action=action, changes=changes, algorithm=algorithm)
    collected = _collected.get()
    if collected is not None:
        collected.append(row.frozen())
        return None
    with transaction.atomic():
        return _append([row.frozen()])[0]


def record_many(pending: Iterable[Pending], batch_size: int = 1000) -> int:
    """Append many entries, chained in the given order: at the end of the enclosing
    ``atomic()`` block, or at once outside one. Returns the number of entries."""
    rows = [row.frozen() for row in pending]
    collected = _collected.get()
    if collected is not None:
        collected.extend(rows)
        return len(rows)
    with transaction.atomic():
        return len(_append(rows, batch_size))


def _append(pending: list[Pending], batch_size: int = 1000) -> list[AuditEntry]:
    """Chain and insert the entries under the chain head's row lock (bulk inserts)."""
    algorithm_ids = {getattr(row.algorithm, "pk", row.algorithm) for row in pending} - {None}
    if algorithm_ids:
        changes_recorded.send(sender=AuditEntry, algorithm_ids=algorithm_ids)
    if connection.vendor == "postgresql":
        # Foreign-key checks are deferred to the commit by default; run them now, so the
        # key-share locks they take on items and algorithms come before the head's lock.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    seq, prev_hash, now = head.last_seq, head.last_hash, timezone.now()
    batch: list[AuditEntry] = []
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
            pk=row.pk,
        )
        seq, prev_hash = entry.seq, entry.hash
        batch.append(entry)
    AuditEntry.objects.bulk_create(batch, batch_size=batch_size)
    head.last_seq, head.last_hash = seq, prev_hash
    head.save(update_fields=["last_seq", "last_hash"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return batch
