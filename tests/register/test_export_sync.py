"""Saving, exporting (the round trip) and "gewijzigd sinds export"."""

import json

import pytest

from tests.register.helpers import TEAM_VALUES, make_register_world
from tracker.audit.models import AuditEntry
from tracker.register.actions import (
    EXPORT_EVIDENCE_TITLE,
    NotExportable,
    StaleEntry,
    export_entry,
    save_entry,
)
from tracker.register.entry import document_bytes, entry_from_document, entry_state
from tracker.register.models import ExportImmutableError, RegisterEntry
from tracker.register.validation import validate_upload
from tracker.risks.actions import update_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(register_standard):
    return make_register_world()


def complete(world):
    return save_entry(world.algorithm, world.owner, expected_version=0, submitted=TEAM_VALUES)


def test_save_keeps_overrides_only_where_they_differ(world):
    state = complete(world)
    entry = RegisterEntry.objects.get(algorithm=world.algorithm)
    assert set(entry.overrides) == {"contact_email", "goal", "category"}
    assert entry.is_complete
    assert entry.version == 1
    name = next(field for field in state.fields if field.name == "name")
    assert not name.overridden
    assert name.source == "Algoritme: naam"
    state = save_entry(
        world.algorithm,
        world.owner,
        expected_version=1,
        submitted={"name": "Signaal bijzondere bijstand", "risks": state.values["risks"]},
    )
    entry.refresh_from_db()
    assert entry.overrides["name"] == "Signaal bijzondere bijstand"
    assert "risks" not in entry.overrides  # equal to the prefill: keeps following it
    name = next(field for field in state.fields if field.name == "name")
    assert name.overridden
    assert "Door het team ingevuld" in name.source
    save_entry(world.algorithm, world.owner, expected_version=2, submitted={}, reset={"name"})
    entry.refresh_from_db()
    assert "name" not in entry.overrides
    entries = AuditEntry.objects.for_object(entry).order_by("seq")
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].changes["Naam"] == [None, "Signaal bijzondere bijstand"]


def test_a_stale_save_is_refused(world):
    complete(world)
    with pytest.raises(StaleEntry):
        save_entry(world.algorithm, world.contributor, expected_version=0, submitted={})


def test_an_incomplete_entry_cannot_be_exported(world):
    save_entry(world.algorithm, world.owner, expected_version=0, submitted={"goal": "Doel"})
    with pytest.raises(NotExportable) as refused:
        export_entry(world.algorithm, world.owner)
    assert refused.value.state.result.missing == ["contact_email"]


def test_export_round_trips(world, register_standard):
    state = complete(world)
    export = export_entry(world.algorithm, world.owner)
    loaded = json.loads(document_bytes(export.ordered_document()))
    assert isinstance(loaded, list)
    assert len(loaded) == 1
    assert list(loaded[0]) == register_standard.standard.names
    assert loaded[0]["lang"] == "nld"
    [result] = validate_upload(loaded, register_standard.standard)
    assert result.complete, result.messages()
    assert entry_from_document(loaded, register_standard.standard) == state.values
    assert export.sha256
    assert export.exported_by == world.owner


def test_export_is_audited_kept_and_counts_as_evidence(world):
    world.owner.first_name, world.owner.last_name = "Olga", "Eigenaar"
    world.owner.save()
    complete(world)
    export = export_entry(world.algorithm, world.owner)
    entry = RegisterEntry.objects.get(algorithm=world.algorithm)
    assert entry.last_export == export
    assert entry.export_current
    assert AuditEntry.objects.for_object(entry).filter(action="export").count() == 1
    criterion = world.criteria["betrokkenen-geinformeerd"]
    [evidence] = criterion.evidence.all()
    assert evidence.title == EXPORT_EVIDENCE_TITLE
    assert export.sha256 in evidence.note
    assert "door Olga Eigenaar;" in evidence.note
    assert criterion.status == "open"  # the team still judges whether that is enough
    with pytest.raises(ExportImmutableError):
        export.save()
    with pytest.raises(ExportImmutableError):
        export.delete()


def test_editing_a_residual_risk_after_export_marks_risks_changed(world):
    complete(world)
    export_entry(world.algorithm, world.owner)
    risk = world.risks[0]
    update_risk(
        risk, world.contributor, expected_version=risk.version, mitigation="Tweede beoordelaar"
    )
    entry = RegisterEntry.objects.get(algorithm=world.algorithm)
    assert entry.changed_since_export
    assert not entry.export_current
    assert entry.changed_fields == ["risks"]
    assert entry_state(world.algorithm).changed_titles == ["Risicobeheer"]
    export_entry(world.algorithm, world.owner)
    entry.refresh_from_db()
    assert entry.export_current
    assert entry.changed_fields == []


def test_a_changed_source_of_an_overridden_field_is_listed_too(world):
    complete(world)
    save_entry(
        world.algorithm, world.owner, expected_version=1, submitted={"lawful_basis": "Eigen tekst"}
    )
    export_entry(world.algorithm, world.owner)
    world.pilot.legal_basis = "Participatiewet, art. 64 en art. 53a"
    world.pilot.save()
    entry = RegisterEntry.objects.get(algorithm=world.algorithm)
    assert entry.changed_fields == ["lawful_basis"]


def test_a_team_edit_after_export_is_listed(world):
    complete(world)
    export_entry(world.algorithm, world.owner)
    save_entry(
        world.algorithm,
        world.owner,
        expected_version=2,
        submitted={"contact_email": "register@voorbeeldstad.nl"},
    )
    entry = RegisterEntry.objects.get(algorithm=world.algorithm)
    assert entry.changed_fields == ["contact_email"]
    assert not entry.export_current
