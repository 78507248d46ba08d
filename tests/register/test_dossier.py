"""The register entry in the JSON dossier, valid against the dossier's schema."""

import json

import jsonschema
import pytest

from tests.register.helpers import TEAM_VALUES, make_register_world
from tracker.exports.jsonexport import dossier_json, schema
from tracker.register.actions import export_entry, save_entry
from tracker.risks.actions import update_risk

pytestmark = pytest.mark.django_db


def exported(algorithm) -> dict:
    data = json.loads(dossier_json(algorithm, generated_by="auditor"))
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)] == []
    return data


def test_without_a_standard_the_entry_is_null(db):
    from tests.world import make_algorithm

    assert exported(make_algorithm())["register_entry"] is None


def test_the_entry_with_values_sources_and_sync_state(register_standard):
    world = make_register_world()
    entry = exported(world.algorithm)["register_entry"]
    assert entry["state"] == "none"
    assert entry["complete"] is False
    fields = {row["name"]: row for row in entry["fields"]}
    assert fields["begin_date"]["value"] == "2026-01"
    assert fields["begin_date"]["source"] == "Pilot: startdatum 5 januari 2026"
    assert fields["contact_email"]["messages"] == ["Contactgegevens: dit veld is verplicht."]

    save_entry(world.algorithm, world.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(world.algorithm, world.owner)
    risk = world.risks[0]
    update_risk(risk, world.contributor, expected_version=risk.version, mitigation="Anders")
    entry = exported(world.algorithm)["register_entry"]
    assert entry["state"] == "changed"
    assert entry["changed_fields"] == ["risks"]
    assert entry["last_export"]["exported_by"]["username"] == "owner"
    fields = {row["name"]: row for row in entry["fields"]}
    assert fields["contact_email"]["overridden"] is True
    assert list(fields) == register_standard.standard.names
