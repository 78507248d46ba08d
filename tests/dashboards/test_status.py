"""Where an algorithm stands (tracker.dashboards.status): the status label, its main
reason in Dutch, the next gate and the blockers counted for that gate."""

import pytest

from tests.dashboards.builders import make_pilot, make_portfolio
from tests.gates.helpers import make_ready_world
from tests.world import make_checklist_item, make_decision
from tracker.algorithms.models import Algorithm
from tracker.dashboards.figures import algorithm_status
from tracker.gates.readiness import go_live_readiness
from tracker.pilots.models import PilotEvaluation

pytestmark = pytest.mark.django_db
LABELS = {"Klaar voor go-live", "Geblokkeerd", "In pilot", "In productie", "In ontwikkeling"}


def test_the_statuses_of_the_hand_made_portfolio():
    portfolio = make_portfolio()
    alpha = algorithm_status(portfolio.alpha)
    assert (alpha.label, alpha.next_gate_label, alpha.blockers) == (
        "Geblokkeerd",
        "Go-livebesluit",
        len(go_live_readiness(portfolio.alpha).blockers),
    )
    # one open measure without owner: the maatregelen come before the owners on the gate
    assert alpha.reason == "1 maatregel niet gereed of uitgesteld zonder geaccepteerd restrisico"

    beta = algorithm_status(portfolio.beta)
    assert (beta.label, beta.next_gate_label, beta.blockers) == ("In pilot", "Pilotbesluit", 1)
    assert beta.reason == "De pilot is nog niet geëvalueerd"

    # in phase ontwerp: counted for the pilot, not for go-live (no stage, no criteria)
    delta = algorithm_status(portfolio.delta)
    assert (delta.label, delta.next_gate_label, delta.blockers) == (
        "In ontwikkeling",
        "Pilotbesluit",
        1,
    )
    assert len(go_live_readiness(portfolio.delta).blockers) == 8
    for status in (alpha, beta, delta):
        assert status.label in LABELS
        assert "-" not in status.reason.split()[0]  # never a slug


def test_ready_then_live_then_blocked_again_is_production():
    gate = make_ready_world()
    status = algorithm_status(gate.algorithm)
    assert (status.label, status.reason, status.blockers) == ("Klaar voor go-live", "", 0)
    make_decision(gate.algorithm, gate.approver, outcome="go", rationale="Alles op orde.")
    assert algorithm_status(gate.algorithm).label == "In productie"
    make_checklist_item(gate.algorithm)  # a new open item after the go
    status = algorithm_status(gate.algorithm)
    assert (status.label, status.next_gate, status.blockers) == ("In productie", None, 0)


def test_a_no_go_leaves_it_blocked_with_its_main_reason():
    gate = make_ready_world()
    make_checklist_item(gate.algorithm, owner=gate.contributor)  # an open measure
    make_decision(gate.algorithm, gate.approver, outcome="no_go")
    status = algorithm_status(gate.algorithm)
    assert status.label == "Geblokkeerd"
    assert status.reason.startswith("1 maatregel niet gereed")


def test_in_pilot_follows_the_pilot_decision_rules():
    gate = make_ready_world()
    algorithm = gate.algorithm
    algorithm.stage = Algorithm.Stage.PILOT
    algorithm.save()
    assert algorithm_status(algorithm).reason == "Geen lopende pilot vastgelegd"
    pilot = make_pilot(algorithm, gate.approver, days_ago=5)
    criterion = pilot.criteria.create(name="Doorlooptijd", metric="dagen", expected="< 5")
    assert algorithm_status(algorithm).reason == "De pilot is nog niet geëvalueerd"
    evaluation = PilotEvaluation.objects.create(
        pilot=pilot, usability_findings="Goed bruikbaar.", evaluated_by=gate.approver
    )
    status = algorithm_status(algorithm)
    assert status.reason == "De evaluatie mist de gemeten waarde van 1 succescriterium"
    evaluation.results.create(criterion=criterion, measured_value="3", met=True)
    status = algorithm_status(algorithm)
    assert (status.label, status.reason, status.blockers) == ("In pilot", "", 0)


def test_monitoring_is_in_production():
    gate = make_ready_world(phase="monitoring-en-beheer", stage="")
    status = algorithm_status(gate.algorithm)
    assert (status.label, status.next_gate) == ("In productie", None)
