"""Stale edits, one mechanism for every versioned object (checklist items, residual
risks, algorithms, pilots, decision conditions).

A form carries the ``version`` it was loaded at; the action saves only if the row still
has it (a locked read or a conditional UPDATE) and otherwise raises its Stale… error,
which the view answers with a 409 that shows:

- what changed meanwhile, read from the audit trail: ``entries_since`` (the entries
  after the one that set the form's version) and ``changes_in`` (one ``Change`` line
  per field, with the Dutch label and a readable value);
- the user's own input, re-bound on the current version (``rebind``), so that saving
  again is a deliberate choice made after seeing what changed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from tracker.audit.models import AuditEntry

SYSTEM = "het systeem"  # the actor of an entry without a user (e.g. the checklist sync)


@dataclass(frozen=True)
class Change:
    """One field that someone else changed meanwhile."""

    field: str
    old: str
    new: str
    actor: str
    at: datetime  # aware; shown in Europe/Amsterdam

    def __str__(self) -> str:
        when = timezone.localtime(self.at).strftime("%d-%m-%Y %H:%M")
        return f"{self.field}: {self.old} -> {self.new} door {self.actor} om {when}"


def version_pair(entry: AuditEntry) -> tuple[int | None, int | None]:
    """(old, new) version an entry recorded, or (None, None)."""
    pair = (entry.changes or {}).get("version")
    if isinstance(pair, list) and len(pair) == 2:
        return pair[0], pair[1]
    return None, None


def entries_since(entries: Iterable[AuditEntry], version: int | None) -> list[AuditEntry]:
    """Of one object's entries, oldest first: those recorded after it had ``version``.

    The entry that produced ``version`` is the anchor, and every later entry counts
    (also those without a version, e.g. a retirement by the checklist sync). Without an
    anchor (version 1, or entries older than the versions), the entries whose version
    moved past it. ``version`` None (a form for a new object): all of them."""
    entries = sorted(entries, key=lambda entry: entry.seq)
    if version is None:
        return entries
    anchor = next((entry.seq for entry in entries if version_pair(entry)[1] == version), None)
    if anchor is not None:
        return [entry for entry in entries if entry.seq > anchor]
    return [entry for entry in entries if (version_pair(entry)[1] or 0) > version]


def anchor_seq(entries: Iterable[AuditEntry], version: int | None) -> int:
    """The ``seq`` after which changes count (0: all), for a version kept on one object
    while the changes are spread over its parts (a pilot and its criteria)."""
    if version is None:
        return 0
    seqs = [entry.seq for entry in entries if version_pair(entry)[1] == version]
    return max(seqs, default=0)


def changes_in(
    entries: Iterable[AuditEntry],
    *,
    label: Callable[[str], str],
    readable: Callable[[str, object], str],
) -> list[Change]:
    """One ``Change`` per field of the entries (the version itself left out)."""
    return [
        Change(
            field=label(name),
            old=readable(name, values[0]),
            new=readable(name, values[1]),
            actor=entry.actor_name or SYSTEM,
            at=entry.at,
        )
        for entry in entries
        for name, values in (entry.changes or {}).items()
        if name != "version" and isinstance(values, list) and len(values) == 2
    ]


def with_rows(entries: list[AuditEntry], label: Callable[[str], str]) -> list[AuditEntry]:
    """The entries, each with ``rows`` of (label, old, new), for the pages that list
    the changes per entry (algorithm, pilot, condition)."""
    for entry in entries:
        entry.rows = [
            (label(name), values[0], values[1])
            for name, values in (entry.changes or {}).items()
            if name != "version" and isinstance(values, list) and len(values) == 2
        ]
    return entries


def with_version(data, version: int | None, name: str = "version"):
    """A copy of the submitted ``data`` carrying the current ``version`` (for a form and
    a formset bound to the same data)."""
    data = data.copy()
    data[name] = "" if version is None else str(version)
    return data


def rebind(form_class, data, version: int | None, *, field: str = "version", **kwargs):
    """The form bound to the user's submitted ``data`` at the current ``version`` (the
    field named with the form's prefix), validated so that its errors show."""
    name = form_class(**kwargs).add_prefix(field)
    form = form_class(with_version(data, version, name), **kwargs)
    form.is_valid()
    return form
