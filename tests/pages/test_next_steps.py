"""The next steps of the overview, per role and per stage of the lifecycle (pure logic)."""

import pytest
from django.urls import reverse

from tracker.pages.next_steps import (
    NO_PILOT,
    PILOT_EVALUATED,
    PILOT_INCOMPLETE,
    PILOT_RUNNING,
    Situation,
    next_steps,
)

SLUG = "toeslagen"
ROLES = {
    "viewer": {},
    "contributor": {"edit": True},
    "approver": {"edit": True, "approve": True},
    "owner": {"edit": True, "manage": True},
}
PEOPLE = {"approvers": ("Anna Akkoord",), "owners": ("Olga Eigenaar",)}


def situation(role: str, **facts) -> Situation:
    values = {"slug": SLUG, "phase": "ontwikkelen", **PEOPLE, **ROLES[role]}
    values.update(facts)
    return Situation(**values)


def keys(role: str, **facts) -> list[str]:
    return [step.key for step in next_steps(situation(role, **facts)).steps]


def step(role: str, key: str, **facts):
    [found] = [s for s in next_steps(situation(role, **facts)).steps if s.key == key]
    return found


def url(name: str, anchor: str = "") -> str:
    return reverse(name, args=[SLUG]) + (f"#{anchor}" if anchor else "")


# --- before implementatie: the checklist of the phase ---------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("viewer", ["checklist-view"]),
        ("contributor", ["checklist"]),
        ("approver", ["checklist"]),
        ("owner", ["checklist"]),
    ],
)
def test_development_with_open_items(role, expected):
    assert keys(role, total=10, not_ready=4) == expected
    first = next_steps(situation(role, total=10, not_ready=4)).steps[0]
    assert first.url == url("checklist:list")
    assert "4 items" in first.label
    assert first.waiting == (role == "viewer")


def test_development_complete_owner_moves_on_others_are_done():
    owner = step("owner", "next-phase", phase="ontwikkelen", total=10, not_ready=0)
    assert owner.label == "Naar de fase Verificatie en validatie"
    assert owner.url == url("algorithms:profile")
    for role in ("viewer", "contributor", "approver"):
        steps = next_steps(situation(role, total=10, not_ready=0))
        assert steps.done
        assert "pilotbesluit" in steps.next_gate


def test_verification_complete_leads_to_the_pilot():
    owner = step("owner", "next-phase", phase="verificatie-en-validatie", total=3)
    assert owner.label == "Naar de fase Implementatie, stap pilot"


def test_overdue_and_review_for_editors_only():
    for role in ("contributor", "approver", "owner"):
        found = step(role, "overdue", overdue=3, not_ready=3, total=5)
        assert found.label == "3 items te laat"
        assert found.url == reverse("checklist:list", args=[SLUG]) + "?overdue=on"
        assert step(role, "to-review", to_review=1).label == "1 item opnieuw beoordelen"
    assert "overdue" not in keys("viewer", overdue=3, not_ready=3, total=5)
    assert "to-review" not in keys("viewer", to_review=1)


def test_release_and_decision_aid_are_the_owners():
    facts = {"newer_release": "v2.6", "aid_available": True}
    assert keys("owner", **facts)[:2] == ["release", "decision-aid"]
    assert step("owner", "release", **facts).label == "Nieuwere release beschikbaar: bijwerken"
    aid = step("owner", "decision-aid", **facts)
    assert aid.label == "Beslishulp AI-verordening invullen"
    assert aid.url == url("decision_aid:algorithm_start")
    for role in ("viewer", "contributor", "approver"):
        assert not {"release", "decision-aid"} & set(keys(role, **facts))


def test_decision_aid_again_when_a_newer_tree_flags_it():
    assert "decision-aid" not in keys("owner", aid_available=True, aid_run=True)
    again = step("owner", "decision-aid", aid_available=True, aid_run=True, aid_needs_review=True)
    assert again.label == "Beslishulp AI-verordening opnieuw invullen"
    assert "decision-aid" not in keys("owner", aid_available=False)


# --- implementatie --------------------------------------------------------------------


def test_implementation_without_stage():
    assert step("owner", "choose-pilot", phase="implementatie").url == url("algorithms:profile")
    wait = step("contributor", "wait-owner", phase="implementatie")
    assert wait.waiting
    assert "Olga Eigenaar" in wait.label


PILOT = {"phase": "implementatie", "stage": "pilot"}


@pytest.mark.parametrize(
    ("state", "editor_key", "target"),
    [
        (NO_PILOT, "pilot-record", "pilots:edit"),
        (PILOT_RUNNING, "pilot-evaluate", "pilots:evaluate"),
        (PILOT_INCOMPLETE, "pilot-complete", "pilots:evaluate"),
    ],
)
def test_pilot_before_the_decision(state, editor_key, target):
    for role in ("contributor", "approver", "owner"):
        [only] = next_steps(situation(role, pilot=state, **PILOT)).steps
        assert (only.key, only.url) == (editor_key, url(target))
    [viewer] = next_steps(situation("viewer", pilot=state, **PILOT)).steps
    assert viewer.key == "pilot-view"
    assert viewer.waiting


def test_pilot_evaluated_labels():
    assert step("contributor", "pilot-evaluate", pilot=PILOT_RUNNING, **PILOT).label == (
        "Pilot evalueren"
    )


def test_pilot_decision_by_the_approver_others_wait_for_a_named_one():
    decide = step("approver", "pilot-decide", pilot=PILOT_EVALUATED, **PILOT)
    assert decide.label == "Pilotbesluit nemen"
    assert decide.url == url("pilots:detail", "pilotbesluit")
    for role in ("viewer", "contributor", "owner"):
        wait = step(role, "pilot-wait", pilot=PILOT_EVALUATED, **PILOT)
        assert wait.label == "Wacht op besluit van een accordeerder (Anna Akkoord)"
        assert wait.waiting


def test_no_approver_the_owner_appoints_one_others_ask_the_owner():
    facts = {"pilot": PILOT_EVALUATED, "approvers": (), **PILOT}
    appoint = step("owner", "appoint-approver", **facts)
    assert appoint.url == url("algorithms:members", "lid-toevoegen")
    assert not appoint.waiting
    ask = step("contributor", "ask-owner-for-approver", **facts)
    assert "Olga Eigenaar" in ask.label
    assert ask.waiting


PRODUCTION = {"phase": "implementatie", "stage": "production"}


def test_go_live_with_blockers():
    for role in ("contributor", "owner"):
        assert keys(role, go_live_blockers=12, **PRODUCTION) == ["go-live-blockers"]
    assert step("contributor", "go-live-blockers", go_live_blockers=12, **PRODUCTION).label == (
        "12 blokkades voor go-live oplossen"
    )
    assert keys("approver", go_live_blockers=12, **PRODUCTION) == [
        "go-live-blockers",
        "go-live-decide",
    ]
    assert keys("viewer", go_live_blockers=1, **PRODUCTION) == ["go-live-view"]


def test_go_live_without_blockers():
    decide = step("approver", "go-live-decide", **PRODUCTION)
    assert decide.url == url("gates:go_live", "besluit-vastleggen")
    for role in ("viewer", "contributor", "owner"):
        assert keys(role, **PRODUCTION) == ["go-live-wait"]


def test_after_a_go_all_is_done():
    for role in ROLES:
        steps = next_steps(situation(role, go_live_outcome="go", **PRODUCTION))
        assert steps.done
        assert "Monitoring en beheer" in steps.next_gate


def test_no_go_is_decided_again():
    assert "go-live-decide" in keys("approver", go_live_outcome="no_go", **PRODUCTION)


def test_conditional_go_leaves_its_open_conditions():
    facts = {"go_live_outcome": "conditional", "open_conditions": 2, **PRODUCTION}
    facts["condition_decision_url"] = "/besluit/7/"
    conditions = step("contributor", "conditions", **facts)
    assert conditions.label == "2 voorwaarden van de go afronden"
    assert conditions.url == "/besluit/7/"
    assert next_steps(situation("viewer", **facts)).done


def test_monitoring_has_no_next_phase_step():
    assert next_steps(situation("owner", phase="monitoring-en-beheer", total=4)).done
    assert keys("owner", phase="monitoring-en-beheer", total=4, not_ready=1) == ["checklist"]
