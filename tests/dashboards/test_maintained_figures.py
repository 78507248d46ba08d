"""The maintained portfolio figures (tracker/dashboards/figures.py) equal a full
recomputation after every kind of write: item status and owner, evidence (added,
withdrawn), residual risks (added, accepted), item and gate decisions, retiring an
item, a profile change, a release upgrade, a pilot and its evaluation, the pilot
decision.

Each write goes through the app's own action. After it the stored row is read as it
is, without the read-side refresh (``ensure_fresh``): it must be fresh already, equal
to ``compute()`` from scratch, and have changed where the write changes it (else the
test could not tell stale figures from correct ones)."""

import datetime

import pytest

from tests.checklist.upgrade_helpers import make_upgraded_world
from tests.gates.helpers import make_ready_world
from tests.pilots import helpers as pilots
from tests.world import make_checklist_item
from tracker.algorithms.models import Algorithm
from tracker.checklist.actions import decide_item, update_item
from tracker.checklist.sync import Change, SyncPlan, apply
from tracker.checklist.upgrade import apply_upgrade
from tracker.dashboards.figures import FIELDS, STALE, compute, refresh
from tracker.dashboards.models import AlgorithmFigures
from tracker.dashboards.portfolio import overview
from tracker.decisions.actions import record_go_live_decision
from tracker.evidence.actions import add_note, withdraw
from tracker.gates.readiness import go_live_readiness
from tracker.pages.portfolio import topics
from tracker.pilots.decision import record_pilot_decision
from tracker.risks.actions import accept_risk, add_risk

pytestmark = pytest.mark.django_db


def stored(algorithm) -> dict:
    row = AlgorithmFigures.objects.get(pk=algorithm.pk)
    assert row.valid_until != STALE  # recomputed by the write itself, not marked stale
    return {name: getattr(row, name) for name in FIELDS}


def recomputed(algorithm) -> dict:
    [row] = compute([algorithm.pk])
    return {name: getattr(row, name) for name in FIELDS}


def check(algorithm, before: dict | None, changed: set[str]) -> dict:
    algorithm.refresh_from_db()
    now = stored(algorithm)
    assert now == recomputed(algorithm)
    assert now["go_live_blockers"] == len(go_live_readiness(algorithm).blockers)
    assert now["blocker_counts"] == go_live_readiness(algorithm).counts
    # the figures per topic, added up as the portfolio does, equal a grouping of the items
    scope = Algorithm.objects.filter(pk=algorithm.pk).values("pk")
    assert topics(scope) == overview(scope).topics
    for name in changed:
        assert before is not None
        assert now[name] != before[name], name
    return now


def test_maintained_figures_equal_a_recomputation_after_every_kind_of_write():
    gate = make_ready_world()
    algorithm, owner, approver = gate.algorithm, gate.contributor, gate.approver
    extra = make_checklist_item(algorithm)  # an open measure without owner
    refresh([algorithm.pk])  # the builders write behind the actions' back
    before = check(algorithm, None, set())
    assert before["status"] == "geblokkeerd"

    # Status: done (without evidence it still blocks, as "gereed zonder bewijs").
    extra.refresh_from_db()
    update_item(extra, owner, expected_version=extra.version, status="done", owner=owner)
    before = check(algorithm, before, {"done", "ready", "blocker_counts"})

    # Evidence: the done item stops blocking; withdrawn, it blocks again.
    evidence = add_note(extra, owner, note="Vastgelegd", title="Notitie")
    before = check(algorithm, before, {"go_live_blockers", "status"})
    assert before["status"] == "klaar"
    withdraw(evidence, owner, reason="Verkeerd bestand")
    before = check(algorithm, before, {"go_live_blockers", "status"})

    # Residual risk: added (not accepted: blocks), then accepted.
    risk = add_risk(extra, owner, description="Restrisico", likelihood=4, impact=5)
    before = check(algorithm, before, {"unaccepted_risks", "go_live_blockers"})
    risk.refresh_from_db()
    accept_risk(
        risk,
        approver,
        expected_version=risk.version,
        expires=datetime.date.today() + datetime.timedelta(days=30),
    )
    before = check(algorithm, before, {"unaccepted_risks", "valid_until"})

    # Retiring an item (the checklist sync's own write path).
    extra.refresh_from_db()
    apply(
        algorithm,
        SyncPlan(retired=[Change(extra, [])], phase=algorithm.phase, stage=algorithm.stage),
        owner,
        "Fase of profiel gewijzigd",
    )
    before = check(algorithm, before, {"total", "go_live_blockers", "status"})
    assert before["status"] == "klaar"

    # Decisions: an item verdict, then the go-live go: the algorithm is live.
    decide_item(gate.measure, approver, verdict="go", rationale="In orde")
    before = check(algorithm, before, set())
    record_go_live_decision(algorithm, approver, "go", "Alles op orde.")
    before = check(algorithm, before, {"status", "last_decision_gate", "next_gate"})
    assert before["status"] == "productie"


def test_maintained_figures_follow_a_release_upgrade():
    gate, new = make_upgraded_world()
    refresh([gate.algorithm.pk])
    before = check(gate.algorithm, None, set())
    apply_upgrade(gate.algorithm, new, gate.owner, expected_version=gate.algorithm.version)
    # The measure changed in substance: "opnieuw beoordelen" blocks go-live.
    after = check(gate.algorithm, before, {"go_live_blockers", "status"})
    assert after["blocker_counts"] == {"herbeoordelen": 1}


def test_maintained_figures_follow_the_pilot_and_its_decision():
    world = pilots.make_pilot_world()
    algorithm = world.algorithm
    refresh([algorithm.pk])
    before = check(algorithm, None, set())
    assert (before["status"], before["status_reason"]) == ("pilot", "Geen lopende pilot vastgelegd")
    pilot = pilots.make_pilot(world)
    before = check(algorithm, before, {"status_reason", "pilot_start"})
    assert before["status_reason"] == "De pilot is nog niet geëvalueerd"
    pilots.evaluate(world, pilot)
    before = check(algorithm, before, {"status_reason", "next_gate_blockers"})
    algorithm.refresh_from_db()
    pilot.refresh_from_db()
    record_pilot_decision(
        algorithm,
        world.approver,
        "develop",
        "Eerst verder ontwikkelen.",
        expected_pilot_version=pilot.version,
    )
    after = check(algorithm, before, {"status", "last_decision_gate"})
    assert after["status"] == "ontwikkeling"  # the decision moved it back to ontwikkelen


def test_a_profile_change_recomputes_the_status():
    from tracker.algorithms.actions import PROFILE_FIELDS
    from tracker.checklist.profile import change_profile

    gate = make_ready_world()
    algorithm = gate.algorithm
    refresh([algorithm.pk])
    before = check(algorithm, None, set())
    values = {name: getattr(algorithm, name) for name in PROFILE_FIELDS}
    values.update(phase="ontwikkelen", stage="")
    change_profile(
        algorithm,
        actor=gate.owner,
        version=algorithm.version,
        values=values,
        profile=algorithm.profile(),
    )
    after = check(algorithm, before, {"status"})
    assert after["status"] == "ontwikkeling"


def test_a_date_that_passes_is_seen_without_a_write():
    gate = make_ready_world()
    algorithm = gate.algorithm
    due = datetime.date.today() + datetime.timedelta(days=3)
    item = make_checklist_item(algorithm, owner=gate.contributor, due_date=due)
    refresh([algorithm.pk])
    row = AlgorithmFigures.objects.get(pk=algorithm.pk)
    assert (row.overdue, row.valid_until) == (0, due + datetime.timedelta(days=1))
    from tracker.dashboards.figures import figures_for

    later = figures_for(algorithm, today=due + datetime.timedelta(days=1))
    assert later.overdue == 1
    assert item.pk  # the item itself was not written
