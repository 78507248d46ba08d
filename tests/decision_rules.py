"""The gate's and the decisions' rules, checked over every decision in the database as
it stood when the decision was taken (from its frozen snapshot and the rows around it).
Used on seeded data: the demo of `make run` (tests/test_demo_data.py) and seed_demo
(tests/dashboards/test_seed_demo.py)."""

from datetime import datetime

from django.utils import timezone

from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.models import AuditEntry
from tracker.audit.verify import verify_chain
from tracker.checklist.models import ChecklistItem
from tracker.decisions.models import Decision, DecisionCondition
from tracker.pilots.decision import OUTCOME_EFFECTS

Outcome = Decision.Outcome
POSITIVE = {Outcome.IMPLEMENT, Outcome.GO, Outcome.CONDITIONAL}
# Words that argue against going on; a positive decision's rationale has none of them.
DOUBT = ("onvoldoende", "verder ontwikkelen", "niet verantwoord", "eerst de blokkades")
# What a rationale of a negative outcome must say.
NEGATIVE_SAYS = {
    Outcome.DEVELOP: "verder ontwikkelen",
    Outcome.PHASE_OUT: "uitgefaseerd",
    Outcome.NO_GO: "blokkades",
}


def decisions() -> list[Decision]:
    found = list(Decision.objects.select_related("algorithm", "pilot").order_by("decided_at", "pk"))
    assert found, "there are decisions to check"
    return found


def local_date(moment: datetime):
    return timezone.localtime(moment).date()


def check_all() -> None:
    check_snapshots_dated_at_their_decision()
    check_rationales()
    check_go_live_decisions()
    check_pilot_decisions()
    check_phase_and_stage()
    check_items()
    check_trail()


def check_snapshots_dated_at_their_decision() -> None:
    for decision in decisions():
        assert decision.snapshot_verifies(), decision
        taken_at = datetime.fromisoformat(decision.snapshot["taken_at"])
        assert taken_at == decision.decided_at, decision
        entry = AuditEntry.objects.for_object(decision).get(action="create")
        assert entry.at == decision.decided_at, decision
        assert decision.decided_at <= timezone.now()


def check_rationales() -> None:
    for decision in decisions():
        text = decision.rationale.lower()
        if decision.outcome in POSITIVE:
            assert not [word for word in DOUBT if word in text], (decision, text)
        else:
            assert NEGATIVE_SAYS[decision.outcome] in text, (decision, text)


def check_go_live_decisions() -> None:
    """A go only without blockers; a conditional go with a condition for every blocker
    (none of them the stage), each with a description, an owner who is a member and a
    due date not before the decision; a no-go without conditions."""
    for decision in [d for d in decisions() if d.gate == Decision.Gate.GO_LIVE]:
        blockers = decision.snapshot["blockers"]
        stage = decision.snapshot["algorithm"]["stage"]
        if decision.outcome == Outcome.GO:
            assert blockers == [], decision
            assert stage == Algorithm.Stage.PRODUCTION
        elif decision.outcome == Outcome.CONDITIONAL:
            assert blockers, f"{decision}: a conditional go needs blockers to cover"
            assert all(blocker["category"] != "stage" for blocker in blockers)
            conditions = list(decision.conditions.select_related("owner"))
            assert {c.blocker_key for c in conditions} == {b["key"] for b in blockers}
            members = set(
                Membership.objects.filter(algorithm=decision.algorithm).values_list(
                    "user_id", flat=True
                )
            )
            for condition in conditions:
                assert condition.description.strip()
                assert condition.owner_id in members
                assert condition.due_date >= local_date(decision.decided_at)
        else:
            assert decision.outcome == Outcome.NO_GO
            assert not decision.conditions.exists()


def check_pilot_decisions() -> None:
    """Taken in the pilot stage on the pilot it closes, after a complete evaluation of
    it; implement only when every success criterion was met."""
    for decision in [d for d in decisions() if d.gate == Decision.Gate.PILOT]:
        pilot = decision.pilot
        assert pilot is not None, decision
        assert decision.snapshot["algorithm"]["stage"] == Algorithm.Stage.PILOT
        assert decision.snapshot["pilot"]["id"] == pilot.pk
        evaluation = pilot.evaluation_or_none
        assert evaluation is not None, f"{decision}: pilot not evaluated"
        assert evaluation.evaluated_at <= decision.decided_at
        assert pilot.missing_results() == []
        assert pilot.start_date <= local_date(decision.decided_at)
        criteria = decision.snapshot["pilot"]["success_criteria"]
        assert criteria
        assert all(c["measured_value"] is not None for c in criteria)
        met = all(c["met"] for c in criteria)
        assert met == (decision.outcome == Outcome.IMPLEMENT), decision


def check_phase_and_stage() -> None:
    """An algorithm in production got there by an 'implementeren'; one with a pilot
    decision has the phase it set (or a later one); a go-live decision follows it."""
    for algorithm in Algorithm.objects.all():
        current = algorithm.decisions.filter(gate=Decision.Gate.PILOT).current().first()
        if algorithm.stage == Algorithm.Stage.PRODUCTION:
            assert current is not None, algorithm
            assert current.outcome == Outcome.IMPLEMENT, algorithm
        if current is not None and algorithm.stage != Algorithm.Stage.NONE:
            assert (algorithm.phase, algorithm.stage) == OUTCOME_EFFECTS[current.outcome]
        if algorithm.stage == Algorithm.Stage.PILOT:
            assert algorithm.pilots.exists(), algorithm
        go_live = algorithm.decisions.filter(gate=Decision.Gate.GO_LIVE).current().first()
        if go_live is not None:
            assert current is not None
            assert current.outcome == Outcome.IMPLEMENT
            assert go_live.decided_at > current.decided_at


def check_items() -> None:
    items = ChecklistItem.objects.select_related("algorithm")
    not_applicable = items.filter(status=ChecklistItem.Status.NOT_APPLICABLE)
    assert not not_applicable.filter(justification="").exists()
    for item in items.filter(owner__isnull=False):
        assert Membership.objects.filter(algorithm=item.algorithm, user=item.owner).exists()
    assert not DecisionCondition.objects.exclude(
        owner__in=Membership.objects.values("user")
    ).exists()


def check_trail() -> None:
    """Intact, and running forward in time (no entry dated after the next one)."""
    assert verify_chain().ok
    moments = list(AuditEntry.objects.order_by("seq").values_list("at", flat=True))
    assert moments == sorted(moments)
    assert moments[-1] <= timezone.now()
