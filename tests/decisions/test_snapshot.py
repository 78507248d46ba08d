"""The frozen snapshot: its contents, plain JSON, deterministic, few queries."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.gates.helpers import add_items, make_ready_world
from tests.world import make_evidence, make_risk
from tracker.checklist.models import ItemDecision
from tracker.decisions.models import Decision
from tracker.decisions.snapshot import build_snapshot, freeze
from tracker.evidence.models import Evidence
from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion

pytestmark = pytest.mark.django_db

SHA = "ab" * 32


def make_pilot(algorithm, user) -> Pilot:
    pilot = Pilot.objects.create(
        algorithm=algorithm,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
        max_cases=500,
        units="Team Toeslagen",
        legal_basis="Art. 6 lid 1 sub e AVG",
        participants="Tien behandelaars",
        agreements="Wekelijks overleg",
        created_by=user,
    )
    criterion = SuccessCriterion.objects.create(
        pilot=pilot, name="Precisie", metric="precisie", expected=">= 0,9"
    )
    evaluation = PilotEvaluation.objects.create(
        pilot=pilot, usability_findings="Goed bruikbaar", evaluated_by=user
    )
    CriterionResult.objects.create(
        evaluation=evaluation, criterion=criterion, measured_value="0,93", met=True
    )
    return pilot


def test_snapshot_holds_the_full_state_as_plain_json():
    gate = make_ready_world(impactful=True)
    make_evidence(
        gate.requirement,
        gate.contributor,
        kind=Evidence.Kind.FILE,
        title="DPIA",
        file_name="dpia.pdf",
        sha256=SHA,
        stored_name="x1",
    )
    make_risk(gate.measure, gate.contributor, accepted_by=gate.approver, mitigation="Steekproef")
    ItemDecision.objects.create(
        item=gate.measure, verdict="go", rationale="In orde", decided_by=gate.approver
    )
    gate.requirement.work_instruction = "Controleer elke uitkomst."
    gate.requirement.save(update_fields=["work_instruction"])
    make_pilot(gate.algorithm, gate.owner)

    snapshot = build_snapshot(gate.algorithm)
    assert json.loads(json.dumps(snapshot)) == snapshot  # plain JSON types only

    algorithm = snapshot["algorithm"]
    assert algorithm["slug"] == gate.algorithm.slug
    assert algorithm["organisation"] == gate.algorithm.organisation.name
    assert (algorithm["phase"], algorithm["stage"], algorithm["impactful"]) == (
        "implementatie",
        "production",
        True,
    )
    assert snapshot["release"]["label"] == gate.algorithm.release.label
    assert snapshot["release"]["content_hash"] == gate.algorithm.release.content_hash
    assert snapshot["pack"]["kind"] == "pack"
    assert len(snapshot["items"]) == 8

    [requirement] = [i for i in snapshot["items"] if i["id"] == gate.requirement.pk]
    assert requirement["kind"] == "requirement"
    assert requirement["status"] == "done"
    assert requirement["owner"] == gate.contributor.username
    assert requirement["work_instruction"] == "Controleer elke uitkomst."
    assert requirement["urn"] == gate.requirement.catalog_item.urn
    files = [e for e in requirement["evidence"] if e["kind"] == "file"]
    assert [(e["file_name"], e["sha256"]) for e in files] == [("dpia.pdf", SHA)]

    [measure] = [i for i in snapshot["items"] if i["id"] == gate.measure.pk]
    assert measure["risks"][0]["mitigation"] == "Steekproef"
    assert measure["risks"][0]["accepted_by"] == gate.approver.username
    assert measure["latest_decision"]["verdict"] == "go"

    pilot = snapshot["pilot"]
    assert pilot["max_cases"] == 500
    assert pilot["success_criteria"] == [
        {
            "name": "Precisie",
            "metric": "precisie",
            "expected": ">= 0,9",
            "measured_value": "0,93",
            "met": True,
        }
    ]
    assert pilot["evaluation"]["usability_findings"] == "Goed bruikbaar"
    assert snapshot["blockers"] == []
    assert snapshot["open_conditions"] == []
    assert datetime.datetime.fromisoformat(snapshot["taken_at"]).tzinfo is not None


def test_snapshot_is_deterministic_apart_from_its_time(monkeypatch):
    gate = make_ready_world()
    fixed = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    first, first_hash = freeze(gate.algorithm)
    second, second_hash = freeze(gate.algorithm)
    assert first == second
    assert first_hash == second_hash == Decision.hash_snapshot(first)


def test_withdrawn_evidence_and_retired_items_stay_visible():
    gate = make_ready_world()
    gate.measure.evidence.update(
        withdrawn_at=timezone.now(), withdrawn_by=gate.owner, withdrawal_reason="Verouderd"
    )
    gate.requirement.retired_at = timezone.now()
    gate.requirement.retired_reason = "Profiel gewijzigd"
    gate.requirement.save(update_fields=["retired_at", "retired_reason"])
    snapshot = build_snapshot(gate.algorithm)
    [measure] = [i for i in snapshot["items"] if i["id"] == gate.measure.pk]
    assert measure["evidence"][0]["withdrawal_reason"] == "Verouderd"
    assert measure["evidence"][0]["withdrawn_by"] == gate.owner.username
    [requirement] = [i for i in snapshot["items"] if i["id"] == gate.requirement.pk]
    assert requirement["retired"] is True
    assert requirement["retired_reason"] == "Profiel gewijzigd"
    assert f"item:{gate.measure.pk}:no-evidence" in {b["key"] for b in snapshot["blockers"]}


def count_queries(algorithm) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_snapshot(algorithm)
    return len(queries)


def test_query_count_does_not_grow_with_the_checklist():
    gate = make_ready_world()
    add_items(gate.algorithm, 10, gate.contributor)
    with_ten = count_queries(gate.algorithm)
    add_items(gate.algorithm, 90, gate.contributor)
    for item in gate.algorithm.items.all()[:30]:
        make_risk(item, gate.contributor, accepted_by=gate.approver)
        ItemDecision.objects.create(item=item, verdict="go", rationale="ok", decided_by=gate.owner)
    assert count_queries(gate.algorithm) == with_ten
