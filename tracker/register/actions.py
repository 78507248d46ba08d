"""Domain actions on a register entry: save the team's values, export the upload file,
and keep the "changed since export" state up to date. Each writes its audit entry in
the same transaction as the change.

Lost updates are prevented as elsewhere: a save names the entry's version its form
was loaded at (0 for an entry not yet saved) and is applied only while the row still
has it; otherwise ``StaleEntry`` is raised and nothing is saved.
"""

from django.db import IntegrityError
from django.utils import timezone

from tracker.accounts.names import display_name
from tracker.algorithms.models import Algorithm
from tracker.audit import trail
from tracker.audit.trail import record
from tracker.checklist.models import ChecklistItem
from tracker.evidence.actions import add_note
from tracker.gates.rules import AFFECTED_PERSONS
from tracker.register.entry import (
    EntryState,
    changed_since,
    document_hash,
    entry_state,
)
from tracker.register.models import RegisterEntry, RegisterExport, RegisterStandard
from tracker.register.validation import normalise

EXPORT_EVIDENCE_TITLE = "Registratie voor het Algoritmeregister geëxporteerd"


class NoStandard(Exception):
    """No version of the publication standard was imported."""


class StaleEntry(Exception):
    """Someone saved or exported the entry meanwhile; nothing was saved."""

    def __init__(self, entry: RegisterEntry | None) -> None:
        super().__init__("register entry changed meanwhile")
        self.entry = entry

    @property
    def message(self) -> str:
        who = self.entry.updated_by if self.entry and self.entry.updated_by_id else None
        when = timezone.localtime(self.entry.updated_at) if self.entry else None
        if who and when:
            return (
                f"{who} heeft de registratie intussen gewijzigd ({when:%d-%m-%Y %H:%M}). "
                "Bekijk de huidige waarden en sla uw wijzigingen opnieuw op."
            )
        return "Iemand anders heeft de registratie intussen gewijzigd."


class NotExportable(Exception):
    """The entry is not complete and valid; carries the state with its messages."""

    def __init__(self, state: EntryState) -> None:
        super().__init__("register entry is not complete and valid")
        self.state = state


def _persist_state(entry: RegisterEntry, state: EntryState) -> list[str]:
    """Validation and sync columns from ``state``; the names of the changed columns."""
    entry.is_valid = state.result.valid
    entry.is_complete = state.result.complete
    if entry.last_export_id:
        export = entry.last_export
        changed = changed_since(export.entry_values, export.sources, state)
    else:
        changed = []
    entry.changed_fields = changed
    entry.changed_since_export = bool(changed)
    entry.export_current = bool(entry.last_export_id) and not changed and entry.is_complete
    return [
        "is_valid",
        "is_complete",
        "changed_fields",
        "changed_since_export",
        "export_current",
    ]


def save_entry(
    algorithm: Algorithm, actor, *, expected_version: int, submitted: dict, reset=()
) -> EntryState:
    """Store the team's values. A submitted value equal to the tracker's prefill is no
    override (the field keeps following its source); fields in ``reset`` go back to
    the tracker's value. Raises StaleEntry or NoStandard."""
    with trail.atomic():
        entry = (
            RegisterEntry.objects.select_for_update(no_key=True).filter(algorithm=algorithm).first()
        )
        if (entry.version if entry else 0) != expected_version:
            raise StaleEntry(entry)
        if entry is None:
            register_standard = RegisterStandard.latest()
            if register_standard is None:
                raise NoStandard()
            entry = RegisterEntry(algorithm=algorithm, standard=register_standard, version=0)
        state = entry_state(algorithm, entry)
        standard = state.standard
        filled = normalise({name: found.value for name, found in state.filled.items()}, standard)
        wanted = normalise(submitted, standard)
        overrides = dict(entry.overrides)
        for name in standard.names:
            if name in reset:
                overrides.pop(name, None)
            elif name in submitted:
                if wanted[name] == filled.get(name):
                    overrides.pop(name, None)
                else:
                    overrides[name] = wanted[name]
        # Keyed by the standard's title: the audit log shows the field as the team knows it.
        changes = {
            standard[name].title: [entry.overrides.get(name), overrides.get(name)]
            for name in standard.names
            if entry.overrides.get(name) != overrides.get(name)
        }
        creating = entry.pk is None
        if not changes and not creating:
            return state
        entry.overrides = overrides
        entry.version += 1
        entry.updated_by = actor
        entry.updated_at = timezone.now()
        state = entry_state(algorithm, entry)
        _persist_state(entry, state)
        if creating:
            try:
                entry.save()
            except IntegrityError:  # created by someone else meanwhile
                raise StaleEntry(None) from None
        else:
            entry.save()
        changes["version"] = [entry.version - 1, entry.version]
        record(
            actor=actor,
            obj=entry,
            action="create" if creating else "update",
            changes=changes,
            algorithm=algorithm,
        )
    return state


def _affected_persons_item(algorithm: Algorithm) -> ChecklistItem | None:
    return (
        algorithm.items.current()
        .filter(
            catalog_item__kind="criterion",
            catalog_item__front_matter__criterium=AFFECTED_PERSONS,
        )
        .order_by("pk")
        .first()
    )


def export_entry(algorithm: Algorithm, actor) -> RegisterExport:
    """Make the upload file of a complete, valid entry and record it: the export is
    kept, the entry is in sync again, and the export is added as evidence to the
    criterion for informing affected persons (the team judges whether it suffices).
    Raises NotExportable."""
    with trail.atomic():
        entry = (
            RegisterEntry.objects.select_for_update(of=("self",), no_key=True)
            .select_related("standard")
            .filter(algorithm=algorithm)
            .first()
        )
        state = entry_state(algorithm, entry) if entry else None
        if entry is None or state is None or not state.result.complete:
            raise NotExportable(state or entry_state(algorithm))
        document = state.document
        sha256 = document_hash(document)
        export = RegisterExport.objects.create(
            entry=entry,
            standard=entry.standard,
            document=document,
            sources={name: found.value for name, found in state.filled.items()},
            sha256=sha256,
            exported_by=actor,
        )
        entry.last_export = export
        entry.version += 1
        fields = _persist_state(entry, state)
        entry.save(update_fields=[*fields, "last_export", "version"])
        record(
            actor=actor,
            obj=entry,
            action="export",
            changes={
                "export": [None, export.pk],
                "sha256": [None, sha256],
                "version": [entry.version - 1, entry.version],
            },
            algorithm=algorithm,
        )
        item = _affected_persons_item(algorithm)
        if item is not None:
            when = timezone.localtime(export.exported_at)
            add_note(
                item,
                actor,
                title=EXPORT_EVIDENCE_TITLE,
                note=(
                    f"Upload-bestand voor het Algoritmeregister (publicatiestandaard "
                    f"{entry.standard.version}) gemaakt op {when:%d-%m-%Y om %H:%M} door "
                    f"{display_name(actor)}; sha256 {sha256}. Publicatie in het register "
                    "informeert betrokkenen; beoordeel of dat voor dit algoritme voldoende is."
                ),
            )
    return export


def refresh_sync(algorithm_ids) -> int:
    """Recompute "changed since export" for the exported entries of these algorithms;
    returns how many entries changed state. Called after every recorded change."""
    entries = list(
        RegisterEntry.objects.exported()
        .filter(algorithm_id__in=list(algorithm_ids))
        .select_related("standard", "last_export", "algorithm__organisation")
    )
    updated = 0
    for entry in entries:
        before = (entry.changed_fields, entry.export_current, entry.is_valid, entry.is_complete)
        state = entry_state(entry.algorithm, entry)
        fields = _persist_state(entry, state)
        after = (entry.changed_fields, entry.export_current, entry.is_valid, entry.is_complete)
        if after != before:
            RegisterEntry.objects.filter(pk=entry.pk).update(
                **{name: getattr(entry, name) for name in fields}
            )
            updated += 1
    return updated
