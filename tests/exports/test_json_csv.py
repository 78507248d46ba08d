"""The JSON export against its schema, its round trip, and the CSV."""

import csv
import io
import json

import jsonschema
import pytest

from tracker.decisions.models import Decision
from tracker.evidence.models import Evidence
from tracker.exports.csvexport import HEADER, dossier_csv
from tracker.exports.jsonexport import dossier_json, schema
from tracker.risks.models import ResidualRisk


@pytest.fixture
def exported(dossier_world) -> dict:
    return json.loads(dossier_json(dossier_world.algorithm, generated_by="auditor"))


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_json_validates_against_its_schema(exported) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(exported)]
    assert errors == []


def test_schema_rejects_an_undocumented_key(exported) -> None:
    exported["items"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(exported, schema(), cls=jsonschema.Draft202012Validator)


def test_round_trip_keeps_items_evidence_risks_decisions_and_audit(dossier_world, exported):
    algorithm = dossier_world.algorithm
    assert exported["generated_by"] == "auditor"
    items = exported["items"]
    assert sorted(i["id"] for i in items) == sorted(algorithm.items.values_list("pk", flat=True))
    evidence = {e["id"]: e["sha256"] for i in items for e in i["evidence"]}
    assert evidence == dict(Evidence.objects.for_algorithm(algorithm).values_list("pk", "sha256"))
    risks = {r["id"] for i in items for r in i["risks"]}
    assert risks == set(ResidualRisk.objects.for_algorithm(algorithm).values_list("pk", flat=True))
    decisions = {d["id"]: d["snapshot_hash"] for d in exported["decisions"]}
    assert decisions == dict(
        Decision.objects.filter(algorithm=algorithm).values_list("pk", "snapshot_hash")
    )
    for row in exported["decisions"]:  # the snapshot travels with its hash
        assert Decision.hash_snapshot(row["snapshot"]) == row["snapshot_hash"]
    assert exported["audit"]["complete"] is True
    hashes = [entry["hash"] for entry in exported["audit"]["entries"]]
    assert hashes == list(algorithm.audit_entries.order_by("seq").values_list("hash", flat=True))
    titles = {i["title"] for i in items}
    assert any("’" in title and "é" in title for title in titles)  # not escaped away


def test_csv_has_one_row_per_item_with_a_stable_header(dossier_world) -> None:
    text = dossier_csv(dossier_world.algorithm, generated_by="t")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == HEADER
    assert len(rows) == dossier_world.algorithm.items.count() == 7
    by_id = {int(row["id"]): row for row in rows}
    toezicht = by_id[dossier_world.items[0].pk]
    assert toezicht["evidence_count"] == "2"
    assert toezicht["sha256"] == dossier_world.evidence[0].sha256
    assert toezicht["owner"] == "owner"
    assert toezicht["due_date"] == "2026-06-30"
    assert toezicht["reasons"] == "Risicogroep: hoog-risico-AI-systeem komt voor"
    werkinstructie = by_id[dossier_world.items[2].pk]
    assert werkinstructie["evidence_count"] == "1"  # the withdrawn one is counted apart
    assert werkinstructie["withdrawn_evidence_count"] == "1"
    assert werkinstructie["sha256"] == ""  # only active evidence
    assert werkinstructie["open_risks"] == "1"
    assert werkinstructie["norms"] == "ARK 3.07 | ADR DM.3 | ADR DM.10"
    assert by_id[dossier_world.items[5].pk]["retired"] == "true"


def test_csv_defuses_spreadsheet_formulas(dossier_world) -> None:
    item = dossier_world.items[1]
    item.justification = '=HYPERLINK("https://example.org")'
    item.save(update_fields=["justification"])
    rows = list(csv.DictReader(io.StringIO(dossier_csv(item.algorithm, generated_by="t")[1:])))
    row = next(r for r in rows if int(r["id"]) == item.pk)
    assert row["justification"].startswith("'=")
