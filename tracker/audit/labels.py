"""Readable Dutch names for what the audit trail stores in code terms.

Entries store object types (``tracker.evidence``), actions (``withdraw``) and raw field
values; these helpers turn them into text for the log pages without any query: field
names and choices come from the model's metadata.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateformat, timezone

OBJECT_TYPES = {
    "tracker.algorithm": "Algoritme",
    "tracker.pilot": "Pilot",
    "tracker.successcriterion": "Succescriterium",
    "tracker.pilotevaluation": "Pilotevaluatie",
    "tracker.criterionresult": "Meting succescriterium",
    "tracker.checklistitem": "Checklistitem",
    "tracker.evidence": "Bewijs",
    "tracker.residualrisk": "Restrisico",
    "tracker.itemdecision": "Go/no-go per item",
    "tracker.comment": "Opmerking",
    "tracker.membership": "Lid",
    "tracker.organisationmembership": "Lid van organisatie",
    "tracker.decision": "Besluit",
    "tracker.decisioncondition": "Voorwaarde",
    "tracker.registerentry": "Registertekst (Algoritmeregister)",
    "tracker.registerexport": "Export naar het Algoritmeregister",
    "tracker.decisiontree": "Beslishulp AI-verordening",
    "tracker.decisionaidrun": "Uitkomst beslishulp",
}

ACTIONS = {
    "evaluate": "geëvalueerd",
    "create": "aangemaakt",
    "created": "aangemaakt",
    "update": "gewijzigd",
    "updated": "gewijzigd",
    "delete": "verwijderd",
    "withdraw": "ingetrokken",
    "accept": "geaccepteerd",
    "decide": "besluit vastgelegd",
    "supersede": "vervangen door een nieuw besluit",
    "fulfil": "vervuld",
    "void_acceptance": "acceptatie vervallen door wijziging",
    "revoke_acceptance": "acceptatie ingetrokken",
    "export": "geëxporteerd",
    "release_upgraded": "naar een nieuwere release van het Algoritmekader gebracht",
    "item_release_upgraded": "naar de nieuwere release gebracht",
    "item_review_confirmed": "opnieuw beoordeeld en bevestigd",
    "profile_changed": "fase of profiel gewijzigd",
    "checklist_synced": "checklist bijgewerkt",
    "item_added": "toegevoegd aan de checklist",
    "item_retired": "niet meer van toepassing",
    "item_reactivated": "weer van toepassing",
    "item_reasons_updated": "reden van toepasselijkheid bijgewerkt",
    "member_added": "lid toegevoegd",
    "member_role_changed": "rol gewijzigd",
    "member_removed": "lid verwijderd",
    "decision_tree_imported": "versie van de beslishulp geïmporteerd",
    "decision_aid_run": "beslishulp ingevuld en toegepast",
    "classification_review": "classificatie opnieuw bekijken",
}

# Field labels where the model's verbose_name is missing or English, and the names of
# what the trail records beside the model's fields (e.g. ``sync_reason``). Every field of
# an audited model (OBJECT_TYPES) has a Dutch label here or an explicit verbose_name;
# tests/audit/test_labels_dutch.py checks that, and every label the trail can show.
FIELDS = {
    "id": "nummer",
    "algorithm": "algoritme",
    "organisation": "organisatie",
    "catalog_item": "vereiste of maatregel",
    "item": "checklistitem",
    "author": "auteur",
    "created_at": "aangemaakt op",
    "updated_at": "bijgewerkt op",
    "gate": "soort besluit",
    "outcome": "uitkomst",
    "supersedes": "vervangt besluit",
    "superseded_by": "vervangen door besluit",
    "snapshot": "vastgelegde stand",
    "snapshot_hash": "controlegetal van de vastgelegde stand",
    "decision": "besluit",
    "blocker_key": "blokkade",
    "blocker_label": "blokkade",
    "owner": "eigenaar",
    "completed_at": "vervuld op",
    "stored_name": "opslagnaam",
    "sha256": "controlegetal (SHA-256)",
    "position": "volgorde",
    "pilot": "pilot",
    "evaluation": "evaluatie",
    "criterion": "succescriterium",
    "evaluated_by": "geëvalueerd door",
    "evaluated_at": "geëvalueerd op",
    "impact": "impact",
    "soort_toepassing": "soort toepassing",
    "risicogroep": "risicogroep",
    "transparantieverplichting": "transparantieverplichting",
    "systeemrisico": "systeemrisico",
    "open_source": "open source",
    "conditions": "voorwaarden",
    "rationale": "onderbouwing",
    "description": "omschrijving",
    "due_date": "deadline",
    "export": "export",
    "release": "release van het Algoritmekader",
    "carried": "ongewijzigd meegenomen",
    "to_review": "opnieuw beoordelen",
    "review_since": "opnieuw beoordelen sinds",
    "review_changes": "wijzigingen om te beoordelen",
    "standard": "standaard",
    "overrides": "eigen waarden",
    "is_valid": "geldig",
    "is_complete": "volledig",
    "last_export": "laatste export",
    "changed_since_export": "gewijzigd sinds de export",
    "changed_fields": "gewijzigde velden",
    "export_current": "export actueel",
    "updated_by": "bijgewerkt door",
    "entry": "registertekst",
    "document": "uploadbestand",
    "sources": "bronnen",
    "exported_by": "geëxporteerd door",
    "exported_at": "geëxporteerd op",
    "sync_reason": "aanleiding",
    "added": "toegevoegd",
    "retired": "niet meer van toepassing",
    "reactivated": "weer van toepassing",
    "reasons_updated": "reden bijgewerkt",
    "status": "status",
    "version": "versie",
    "reasons": "reden van toepasselijkheid",
    "review_reason": "reden om opnieuw te bekijken",
    "answers": "antwoorden",
    "conclusion": "conclusie",
    "labels": "labels",
    "tree": "versie van de beslishulp",
    "questions": "vragen",
    "label": "versie",
    "retired_at": "niet meer van toepassing sinds",
    "retired_reason": "reden niet meer van toepassing",
    "user": "gebruiker",
    "role": "rol",
    "verdict": "oordeel",
    "kind": "soort",
    "title": "titel",
    "url": "link",
    "note": "notitie",
    "file_name": "bestandsnaam",
    "content_type": "bestandstype",
    "size": "grootte (bytes)",
    "added_by": "toegevoegd door",
    "added_at": "toegevoegd op",
    "withdrawn_at": "ingetrokken op",
    "withdrawn_by": "ingetrokken door",
    "withdrawal_reason": "reden van intrekking",
    "created_by": "aangemaakt door",
    "accepted_by": "geaccepteerd door",
    "accepted_at": "geaccepteerd op",
    "decided_by": "besloten door",
    "decided_at": "besloten op",
    "body": "tekst",
    "slug": "korte naam in het webadres",
    "stage": "stap",
}

# Recorded for traceability but not shown: a code, told in words by another field
# (a condition's ``blocker_key`` by its ``blocker_label`` and description).
HIDDEN = frozenset({"blocker_key"})

EMPTY = "—"


@dataclass(frozen=True)
class Change:
    """One field's old -> new value, ready to show."""

    field: str
    label: str
    old: str
    new: str


def object_type_label(object_type: str) -> str:
    if object_type in OBJECT_TYPES:
        return OBJECT_TYPES[object_type]
    model = _model(object_type)
    return str(model._meta.verbose_name).capitalize() if model else object_type


def action_label(action: str) -> str:
    return ACTIONS.get(action, action.replace("_", " "))


def changes(object_type: str, raw: dict) -> list[Change]:
    model = _model(object_type)
    rows = []
    for name, pair in raw.items():
        if name in HIDDEN:
            continue
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        field = _field(model, name)
        rows.append(
            Change(
                field=name,
                label=_field_label(field, name),
                old=value_text(field, old),
                new=value_text(field, new),
            )
        )
    return rows


def value_text(field: models.Field | None, value) -> str:
    """A stored value as text: choices by their label, dates in Europe/Amsterdam."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if field is not None and field.choices and not isinstance(value, list | dict):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _datetime_text(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return _date_text(value)
    if isinstance(value, list):
        return ", ".join(_plain_text(v) for v in value)
    return _plain_text(value)


def _plain_text(value) -> str:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _datetime_text(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        return dateformat.format(moment, "j F Y H:i")
    return dateformat.format(timezone.localtime(moment), "j F Y H:i")


def _date_text(value: str) -> str:
    try:
        return dateformat.format(date.fromisoformat(value[:10]), "j F Y")
    except ValueError:
        return value


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(field: models.Field | None, name: str) -> str:
    if name in FIELDS:
        return FIELDS[name]
    if field is not None:
        return str(field.verbose_name)
    return name.replace("_", " ")
