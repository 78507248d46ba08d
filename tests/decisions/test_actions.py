"""Recording go-live decisions: the gate's rules, the frozen snapshot and its hash,
supersession, immutability, audit entries and conditions as tracked work."""

import datetime

import pytest
from django.utils import timezone

from tests.gates.helpers import make_ready_world
from tests.world import make_risk
from tracker.audit.models import AuditEntry
from tracker.checklist.actions import update_item
from tracker.checklist.models import ChecklistItem
from tracker.decisions.actions import (
    ConditionSpec,
    DecisionRefused,
    StaleCondition,
    StaleDecision,
    fulfil_condition,
    record_go_live_decision,
)
from tracker.decisions.models import Decision, DecisionCondition, ImmutableError

pytestmark = pytest.mark.django_db

Status = ChecklistItem.Status
TODAY = datetime.date(2026, 6, 1)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def set_status(item, status, justification=""):
    item.status, item.justification = status, justification
    item.save(update_fields=["status", "justification"])


def conditions_for(gate, keys, **overrides):
    return [
        ConditionSpec(
            blocker_key=key,
            description=overrides.get("description", f"Oplossen: {key}"),
            owner=overrides.get("owner", gate.contributor),
            due_date=overrides.get("due_date", NEXT_MONTH),
        )
        for key in keys
    ]


def test_go_is_recorded_when_there_are_no_blockers():
    gate = make_ready_world(impactful=True)
    decision = record_go_live_decision(gate.algorithm, gate.approver, "go", " Alles op orde. ")
    decision.refresh_from_db()
    assert (decision.gate, decision.outcome, decision.rationale) == (
        "go_live",
        "go",
        "Alles op orde.",
    )
    assert decision.decided_by == gate.approver
    assert decision.supersedes is None
    assert decision.snapshot_verifies()
    assert decision.snapshot["blockers"] == []
    entry = AuditEntry.objects.for_object(decision).get()
    assert entry.action == "create"
    assert entry.changes["outcome"] == [None, "go"]
    assert entry.changes["snapshot_hash"] == [None, decision.snapshot_hash]
    assert entry.algorithm == gate.algorithm


def test_impactful_algorithm_whose_affected_persons_are_not_informed_gets_no_go():
    gate = make_ready_world(impactful=True)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.IN_PROGRESS)
    with pytest.raises(DecisionRefused) as refused:
        record_go_live_decision(gate.algorithm, gate.approver, "go", "Graag live.")
    assert [b.key for b in refused.value.blockers] == ["affected-persons"]
    assert not Decision.objects.exists()
    assert not AuditEntry.objects.filter(object_type="tracker.decision").exists()


def test_high_risk_ai_system_whose_affected_persons_are_not_informed_gets_no_go():
    gate = make_ready_world(
        is_ai_system=True, soort_toepassing="ai-systeem", risicogroep="hoog-risico-ai-systeem"
    )
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.NOT_APPLICABLE, "Intern.")
    with pytest.raises(DecisionRefused) as refused:
        record_go_live_decision(gate.algorithm, gate.approver, "go", "Graag live.")
    assert [b.key for b in refused.value.blockers] == ["affected-persons"]
    # a conditional go that names the blocker is accepted
    decision = record_go_live_decision(
        gate.algorithm,
        gate.approver,
        "conditional",
        "Live onder voorwaarde.",
        conditions_for(gate, ["affected-persons"]),
        today=TODAY,
    )
    assert decision.outcome == "conditional"


def test_conditional_go_must_name_every_open_blocker():
    gate = make_ready_world(impactful=True)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.OPEN)
    risk = make_risk(gate.measure, gate.contributor)
    open_keys = ["affected-persons", f"risk:{risk.pk}:unaccepted"]

    with pytest.raises(DecisionRefused) as refused:
        record_go_live_decision(
            gate.algorithm,
            gate.approver,
            "conditional",
            "Onder voorwaarden.",
            conditions_for(gate, open_keys[:1]),
            today=TODAY,
        )
    assert [b.key for b in refused.value.blockers] == [open_keys[1]]
    assert not Decision.objects.exists()

    decision = record_go_live_decision(
        gate.algorithm,
        gate.approver,
        "conditional",
        "Onder voorwaarden.",
        conditions_for(gate, open_keys),
        today=TODAY,
    )
    conditions = list(decision.conditions.order_by("blocker_key"))
    assert [c.blocker_key for c in conditions] == sorted(open_keys)
    assert all(c.status == DecisionCondition.Status.OPEN for c in conditions)
    assert all(c.owner == gate.contributor and c.due_date == NEXT_MONTH for c in conditions)
    for condition in conditions:
        assert AuditEntry.objects.for_object(condition).get().action == "create"
    assert sorted(b["key"] for b in decision.snapshot["blockers"]) == sorted(open_keys)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"keys": ["affected-persons", "item:999999:not-done"]}, "intussen opgelost"),
        ({"due_date": TODAY - datetime.timedelta(days=1)}, "verleden"),
        ({"owner": "outsider"}, "geen lid"),
        ({"description": "  "}, "Geen omschrijving"),
    ],
)
def test_conditional_go_refuses_bad_conditions(change, problem):
    gate = make_ready_world(impactful=True)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.OPEN)
    keys = change.pop("keys", ["affected-persons"])
    if change.get("owner") == "outsider":
        change["owner"] = gate.outsider
    with pytest.raises(DecisionRefused) as refused:
        record_go_live_decision(
            gate.algorithm,
            gate.approver,
            "conditional",
            "Onder voorwaarden.",
            conditions_for(gate, keys, **change),
            today=TODAY,
        )
    assert any(problem in line for line in refused.value.problems), refused.value.problems
    assert not Decision.objects.exists()


def test_conditional_go_without_blockers_or_outside_production_is_refused():
    gate = make_ready_world()
    with pytest.raises(DecisionRefused, match="geen blokkades"):
        record_go_live_decision(gate.algorithm, gate.approver, "conditional", "x", [])
    gate.algorithm.stage = "pilot"
    gate.algorithm.save()
    with pytest.raises(DecisionRefused) as refused:
        record_go_live_decision(
            gate.algorithm,
            gate.approver,
            "conditional",
            "x",
            conditions_for(gate, ["stage:not-production"]),
        )
    assert [b.key for b in refused.value.blockers] == ["stage:not-production"]


def test_no_go_is_always_allowed_and_go_needs_no_conditions():
    gate = make_ready_world(impactful=True)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.OPEN)
    decision = record_go_live_decision(gate.algorithm, gate.approver, "no_go", "Niet klaar.")
    assert decision.outcome == "no_go"
    assert decision.snapshot_verifies()
    with pytest.raises(DecisionRefused, match="Alleen een go onder voorwaarden"):
        record_go_live_decision(
            gate.algorithm, gate.approver, "no_go", "x", conditions_for(gate, ["affected-persons"])
        )
    with pytest.raises(DecisionRefused, match="onderbouwing"):
        record_go_live_decision(gate.algorithm, gate.approver, "no_go", "   ")


def test_snapshot_stays_unchanged_and_verifies_after_the_item_changes():
    gate = make_ready_world()
    decision = record_go_live_decision(gate.algorithm, gate.approver, "go", "Live.")
    frozen = Decision.objects.get(pk=decision.pk).snapshot
    [item_before] = [i for i in frozen["items"] if i["id"] == gate.requirement.pk]
    assert item_before["status"] == "done"
    assert len(item_before["evidence"]) == 1

    update_item(
        gate.requirement,
        gate.contributor,
        expected_version=gate.requirement.version,
        status=Status.OPEN,
        owner=gate.approver,
        due_date=TODAY,
        justification="",
    )
    gate.requirement.refresh_from_db()
    assert gate.requirement.status == Status.OPEN

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.snapshot == frozen
    assert decision.snapshot_verifies()
    [item_after] = [i for i in decision.snapshot["items"] if i["id"] == gate.requirement.pk]
    assert item_after["status"] == "done"
    assert item_after["owner"] == gate.contributor.username


def test_a_tampered_snapshot_no_longer_verifies():
    gate = make_ready_world()
    decision = record_go_live_decision(gate.algorithm, gate.approver, "go", "Live.")
    snapshot = dict(decision.snapshot, blockers=[{"key": "verzonnen"}])
    Decision.objects.filter(pk=decision.pk).update(snapshot=snapshot)  # bypasses save()
    assert not Decision.objects.get(pk=decision.pk).snapshot_verifies()


def test_later_decisions_supersede_earlier_ones_which_stay_untouched():
    gate = make_ready_world()
    first = record_go_live_decision(gate.algorithm, gate.approver, "no_go", "Eerst niet.")
    first_row = Decision.objects.values().get(pk=first.pk)
    second = record_go_live_decision(gate.algorithm, gate.approver, "go", "Nu wel.")
    third = record_go_live_decision(gate.algorithm, gate.approver, "no_go", "Toch niet.")

    assert second.supersedes == first
    assert third.supersedes == second
    assert list(gate.algorithm.decisions.current()) == [third]
    assert Decision.objects.values().get(pk=first.pk) == first_row
    first.refresh_from_db()
    assert first.superseded_by == second
    supersede = AuditEntry.objects.for_object(first).get(action="supersede")
    assert supersede.changes == {"superseded_by": [None, second.pk]}


def test_a_recorded_decision_cannot_be_saved_again_or_deleted():
    gate = make_ready_world()
    decision = record_go_live_decision(gate.algorithm, gate.approver, "go", "Live.")
    decision.rationale = "Achteraf anders"
    with pytest.raises(ImmutableError):
        decision.save()
    with pytest.raises(ImmutableError):
        decision.delete()
    decision.refresh_from_db()
    assert decision.rationale == "Live."


def test_a_decision_recorded_meanwhile_makes_the_form_stale():
    gate = make_ready_world()
    first = record_go_live_decision(gate.algorithm, gate.approver, "no_go", "Niet.")
    with pytest.raises(StaleDecision) as stale:
        record_go_live_decision(gate.algorithm, gate.approver, "go", "Wel.", expected_current=None)
    assert stale.value.current == first
    assert Decision.objects.count() == 1
    second = record_go_live_decision(
        gate.algorithm, gate.approver, "go", "Wel.", expected_current=first.pk
    )
    assert second.supersedes == first


def test_fulfilling_a_condition_is_audited_and_stale_forms_are_refused():
    gate = make_ready_world(impactful=True)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.OPEN)
    decision = record_go_live_decision(
        gate.algorithm,
        gate.approver,
        "conditional",
        "Onder voorwaarde.",
        conditions_for(gate, ["affected-persons"]),
        today=TODAY,
    )
    condition = decision.conditions.get()
    fulfil_condition(condition, gate.contributor, expected_version=1)
    condition.refresh_from_db()
    assert condition.status == DecisionCondition.Status.DONE
    assert condition.completed_at is not None
    assert condition.version == 2
    entry = AuditEntry.objects.for_object(condition).get(action="fulfil")
    assert entry.actor == gate.contributor
    assert entry.changes["status"] == ["open", "done"]

    with pytest.raises(StaleCondition) as stale:
        fulfil_condition(condition, gate.owner, expected_version=1)
    assert [e.action for e in stale.value.entries] == ["fulfil"]
    assert AuditEntry.objects.for_object(condition).filter(action="fulfil").count() == 1


def test_accepted_risk_acceptance_is_in_the_snapshot():
    gate = make_ready_world()
    make_risk(gate.measure, gate.contributor, accepted_by=gate.approver, accepted_at=timezone.now())
    decision = record_go_live_decision(gate.algorithm, gate.approver, "go", "Live.")
    [measure] = [i for i in decision.snapshot["items"] if i["id"] == gate.measure.pk]
    [risk] = measure["risks"]
    assert risk["accepted_by"] == gate.approver.username
    assert risk["accepted_at"] is not None
