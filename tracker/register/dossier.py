"""The register entry in the JSON dossier (key ``register_entry``; schema in
tracker/exports/dossier.schema.json): every field with its value and where it came
from, the validation messages, the sync state and the last export."""

from tracker.register.entry import entry_state
from tracker.register.status import LABELS, state_of


def person(user) -> dict:
    """A user as the dossier shows people (as tracker.exports.people does)."""
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username()}


def register_section(algorithm) -> dict | None:
    """None when no version of the publication standard was imported."""
    state = entry_state(algorithm)
    if state is None:
        return None
    entry = state.entry
    export = state.last_export
    code = state_of(entry)
    return {
        "standard_version": state.register_standard.version,
        "standard_label": state.register_standard.label,
        "state": code,
        "state_label": LABELS[code],
        "valid": state.result.valid,
        "complete": state.result.complete,
        "changed_since_export": bool(entry and entry.changed_since_export),
        "changed_fields": state.changed_fields,
        "fields": [
            {
                "name": one.name,
                "title": one.field.title,
                "value": one.value,
                "source": one.source,
                "overridden": one.overridden,
                "messages": one.messages,
            }
            for one in state.fields
        ],
        "last_export": None
        if export is None
        else {
            "exported_at": export.exported_at,
            "exported_by": person(export.exported_by),
            "sha256": export.sha256,
        },
    }
