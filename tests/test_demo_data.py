"""The demo data of `make run` follows the app's own rules.

Seeded once per module (real v2.5.1 and the content pack), rolled back afterwards. Over
every seeded decision it checks the gate's and the decision's rules as they stood when
it was taken: a go only where the gate had no blocker, a conditional go with a
condition for every blocker (owner a member, due date not before the decision), a
pilot decision only on an evaluated pilot, the rationale agreeing with the outcome, the
frozen snapshot dated at the decision. Then the audit trail: intact, and running
forward in time.
"""

from datetime import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tests.conftest import release_dir
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.models import AuditEntry
from tracker.audit.verify import verify_chain
from tracker.catalog.importer import import_release
from tracker.checklist.models import ChecklistItem
from tracker.decisions.models import Decision, DecisionCondition
from tracker.demo import PORTFOLIO_SIZE, create_demo_algorithms, create_demo_users
from tracker.demo.scenarios import OWN
from tracker.gates.readiness import go_live_readiness
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


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module and rolled back after it."""
    v251 = release_dir("v2.5.1")
    with django_db_blocker.unblock(), transaction.atomic():
        import_release(settings.CONTENT_PACK_DIR)
        import_release(v251)
        create_demo_users("demo", "algokader-demo")
        create_demo_algorithms("demo")
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def decisions():
    found = list(Decision.objects.select_related("algorithm", "pilot").order_by("decided_at", "pk"))
    assert found, "the demo has decisions"
    return found


def local_date(moment: datetime):
    return timezone.localtime(moment).date()


def test_everything_is_there():
    assert Algorithm.objects.count() == len(OWN) + PORTFOLIO_SIZE
    gates = {(d.gate, d.outcome) for d in decisions()}
    assert {
        (Decision.Gate.PILOT, Outcome.IMPLEMENT),
        (Decision.Gate.PILOT, Outcome.DEVELOP),
        (Decision.Gate.GO_LIVE, Outcome.GO),
        (Decision.Gate.GO_LIVE, Outcome.CONDITIONAL),
        (Decision.Gate.GO_LIVE, Outcome.NO_GO),
    } <= gates


def test_every_snapshot_is_dated_at_its_decision_and_verifies():
    for decision in decisions():
        assert decision.snapshot_verifies(), decision
        taken_at = datetime.fromisoformat(decision.snapshot["taken_at"])
        assert taken_at == decision.decided_at, decision
        entry = AuditEntry.objects.for_object(decision).get(action="create")
        assert entry.at == decision.decided_at, decision
        assert decision.decided_at < timezone.now()


def test_rationale_agrees_with_the_outcome():
    for decision in decisions():
        text = decision.rationale.lower()
        if decision.outcome in POSITIVE:
            assert not [word for word in DOUBT if word in text], (decision, text)
        else:
            assert NEGATIVE_SAYS[decision.outcome] in text, (decision, text)


def test_go_live_decisions_follow_the_gate_as_it_stood():
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


def test_pilot_decisions_follow_an_evaluation_of_their_pilot():
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
        assert all(c["measured_value"] is not None for c in criteria)
        met = all(c["met"] for c in criteria)
        assert met == (decision.outcome == Outcome.IMPLEMENT), decision


def test_every_pilot_next_to_a_decision_is_evaluated():
    for decision in Decision.objects.filter(gate=Decision.Gate.PILOT):
        assert decision.pilot.evaluation_or_none is not None


def test_phase_and_stage_follow_the_decisions():
    """An algorithm in production got there by an 'implementeren'; one with a pilot
    decision has the phase it set (or a later one)."""
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


def test_items_are_in_states_the_app_allows():
    items = ChecklistItem.objects.select_related("algorithm")
    not_applicable = items.filter(status=ChecklistItem.Status.NOT_APPLICABLE)
    assert not not_applicable.filter(justification="").exists()
    for item in items.filter(owner__isnull=False):
        assert Membership.objects.filter(algorithm=item.algorithm, user=item.owner).exists()
    assert not DecisionCondition.objects.exclude(
        owner__in=Membership.objects.values("user")
    ).exists()


def test_the_portfolio_shows_every_state():
    """Ready, blocked, in pilot, in production after a go, in development."""
    states = set()
    for algorithm in Algorithm.objects.all():
        blockers = go_live_readiness(algorithm).blockers
        go_live = algorithm.decisions.filter(gate=Decision.Gate.GO_LIVE).current().first()
        if algorithm.stage == Algorithm.Stage.PILOT:
            states.add("pilot")
        elif go_live is not None and go_live.outcome in (Outcome.GO, Outcome.CONDITIONAL):
            states.add("production")
        elif algorithm.stage == Algorithm.Stage.PRODUCTION:
            states.add("blocked" if blockers else "ready")
        else:
            states.add("development")
    assert states == {"pilot", "production", "blocked", "ready", "development"}


def test_the_audit_trail_is_intact_and_runs_forward_in_time():
    assert verify_chain().ok
    moments = list(AuditEntry.objects.order_by("seq").values_list("at", flat=True))
    assert moments == sorted(moments)
    assert moments[-1] <= timezone.now()
