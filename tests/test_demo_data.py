"""The demo data of `make run` follows the app's own rules.

Seeded once per module (real v2.5.1 and the content pack), rolled back afterwards. Over
every seeded decision it checks the gate's and the decision's rules as they stood when
it was taken (tests/decision_rules.py): a go only where the gate had no blocker, a
conditional go with a condition for every blocker (owner a member, due date not before
the decision), a pilot decision only on an evaluated pilot, the rationale agreeing with
the outcome, the frozen snapshot dated at the decision. Then the audit trail: intact,
and running forward in time.
"""

import pytest
from django.conf import settings
from django.db import transaction

from tests import decision_rules as rules
from tests.conftest import release_dir
from tracker.algorithms.models import Algorithm
from tracker.catalog.importer import import_release
from tracker.decisions.models import Decision
from tracker.demo import PORTFOLIO_SIZE, create_demo_algorithms, create_demo_users
from tracker.demo.scenarios import OWN
from tracker.gates.readiness import go_live_readiness

Outcome = Decision.Outcome


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


def test_everything_is_there():
    assert Algorithm.objects.count() == len(OWN) + PORTFOLIO_SIZE
    gates = {(d.gate, d.outcome) for d in rules.decisions()}
    assert {
        (Decision.Gate.PILOT, Outcome.IMPLEMENT),
        (Decision.Gate.PILOT, Outcome.DEVELOP),
        (Decision.Gate.GO_LIVE, Outcome.GO),
        (Decision.Gate.GO_LIVE, Outcome.CONDITIONAL),
        (Decision.Gate.GO_LIVE, Outcome.NO_GO),
    } <= gates


def test_every_snapshot_is_dated_at_its_decision_and_verifies():
    rules.check_snapshots_dated_at_their_decision()


def test_rationale_agrees_with_the_outcome():
    rules.check_rationales()


def test_go_live_decisions_follow_the_gate_as_it_stood():
    rules.check_go_live_decisions()


def test_pilot_decisions_follow_an_evaluation_of_their_pilot():
    rules.check_pilot_decisions()


def test_phase_and_stage_follow_the_decisions():
    rules.check_phase_and_stage()


def test_items_are_in_states_the_app_allows():
    rules.check_items()


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
    rules.check_trail()
