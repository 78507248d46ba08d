"""A register entry's values: what the tracker prefills, overlaid with what the team
wrote, validated against the standard, and the upload file made from them.

The upload file is shaped like the register's own (``[{...}]``, a list of one entry,
every field of the standard in the standard's order, empty fields as ``null``).
``entry_from_document`` reads one back; ``values`` of an entry and
``entry_from_document(document_for(...))`` are equal (the round trip).
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from tracker.algorithms.models import Algorithm
from tracker.register.models import RegisterEntry, RegisterStandard
from tracker.register.prefill import Prefill, prefill
from tracker.register.standard import Field, Standard
from tracker.register.validation import Result, normalise, validate


def effective_values(standard: Standard, filled: dict[str, Prefill], overrides: dict) -> dict:
    """Every field of the standard: the team's value where it wrote one, else the
    tracker's, normalised (empty as None)."""
    values = {name: found.value for name, found in filled.items()}
    values.update({name: value for name, value in overrides.items() if name in standard.names})
    return normalise(values, standard)


def document_for(values: dict, standard: Standard) -> list[dict]:
    """The upload file: a list of one entry with every field of the standard."""
    normalised = normalise(values, standard)
    return [{name: normalised[name] for name in standard.names}]


def document_bytes(document: list[dict]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def document_hash(document: list[dict]) -> str:
    return hashlib.sha256(document_bytes(document)).hexdigest()


def entry_from_document(data: Any, standard: Standard) -> dict:
    """The entry of an upload file (a list of one), normalised; ValueError otherwise."""
    if not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
        raise ValueError("het bestand is geen lijst met één registratie")
    return normalise(data[0], standard)


@dataclass(frozen=True)
class FieldState:
    """One field of the entry as the pages show it."""

    field: Field
    value: Any
    prefill: Prefill | None
    overridden: bool
    messages: list[str]
    changed: bool  # changed since the last export

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def source(self) -> str:
        if self.overridden:
            return "Door het team ingevuld" + (
                f" (de tracker heeft: {self.prefill.source})" if self.prefill else ""
            )
        return self.prefill.source if self.prefill else ""

    @property
    def shown(self) -> str:
        """The value as text (lists joined, groupings as title – link)."""
        value = self.value
        if value is None:
            return ""
        if self.field.is_grouping:
            return "\n".join(
                " | ".join(str(row.get(key) or "") for key in ("title", "link")).rstrip(" |")
                for row in value
                if isinstance(row, dict)
            )
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)


@dataclass(frozen=True)
class EntryState:
    """Everything known of an algorithm's entry (saved or not yet)."""

    algorithm: Algorithm
    register_standard: RegisterStandard
    entry: RegisterEntry | None
    filled: dict[str, Prefill]
    values: dict
    result: Result

    @property
    def standard(self) -> Standard:
        return self.register_standard.standard

    @property
    def overrides(self) -> dict:
        return self.entry.overrides if self.entry else {}

    @property
    def last_export(self):
        return self.entry.last_export if self.entry else None

    @property
    def changed_fields(self) -> list[str]:
        return list(self.entry.changed_fields) if self.entry else []

    @property
    def document(self) -> list[dict]:
        return document_for(self.values, self.standard)

    @property
    def fields(self) -> list[FieldState]:
        messages = self.result.messages()
        changed = set(self.changed_fields)
        return [
            FieldState(
                field=one,
                value=self.values.get(one.name),
                prefill=self.filled.get(one.name),
                overridden=one.name in self.overrides,
                messages=messages.get(one.name, []),
                changed=one.name in changed,
            )
            for one in self.standard.fields
        ]

    @property
    def changed_titles(self) -> list[str]:
        titles = {one.name: one.title for one in self.standard.fields}
        return [titles.get(name, name) for name in self.changed_fields]


def entry_state(algorithm: Algorithm, entry: RegisterEntry | None = None) -> EntryState | None:
    """The entry of ``algorithm`` with its prefill and validation; None when no standard
    was imported. Pass ``entry`` to use an already loaded row."""
    if entry is None:
        entry = (
            RegisterEntry.objects.select_related("standard", "last_export__exported_by")
            .filter(algorithm=algorithm)
            .first()
        )
    register_standard = entry.standard if entry else RegisterStandard.latest()
    if register_standard is None:
        return None
    standard = register_standard.standard
    filled = prefill(algorithm, standard)
    values = effective_values(standard, filled, entry.overrides if entry else {})
    return EntryState(
        algorithm=algorithm,
        register_standard=register_standard,
        entry=entry,
        filled=filled,
        values=values,
        result=validate(values, standard),
    )


def changed_since(export_values: dict, export_sources: dict, state: EntryState) -> list[str]:
    """Fields whose value or whose source in the tracker differs from the export, in
    the standard's order."""
    now_sources = {name: found.value for name, found in state.filled.items()}
    standard = state.standard
    sources_then = normalise(export_sources, standard)
    sources_now = normalise(now_sources, standard)
    values_then = normalise(export_values, standard)
    return [
        name
        for name in standard.names
        if values_then.get(name) != state.values.get(name)
        or sources_then.get(name) != sources_now.get(name)
    ]
