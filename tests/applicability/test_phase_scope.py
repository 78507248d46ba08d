"""Phase scope (issue 11): earlier phases' items stay until go-live and the gate counts them.

Real content (v2.5.1): avg-13 (DPIA) belongs to ontwerp, dataverkenning and
verificatie; moving an algorithm from ontwerp to implementatie keeps it, with its
status and evidence, marked as coming from phase Ontwerp.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.world import make_organisation, make_user
from tracker.applicability import AIProfile
from tracker.applicability.scope import (
    GATE_PHASES,
    ORGANISATION,
    origin,
    reached_phases,
    scope_phases,
    upcoming,
)
from tracker.catalog.importer import import_release
from tracker.checklist.models import ChecklistItem
from tracker.checklist.profile import change_profile, create_algorithm
from tracker.evidence.actions import add_note
from tracker.gates.readiness import go_live_readiness


def test_scope_holds_reached_phases_and_the_organisation_wide_part():
    assert scope_phases("ontwerp") == {"probleemanalyse", "ontwerp", ORGANISATION}
    assert reached_phases("implementatie")[-1] == "implementatie"
    assert "monitoring-en-beheer" not in GATE_PHASES
    assert ORGANISATION in GATE_PHASES
    with pytest.raises(ValueError, match="not a lifecycle phase"):
        reached_phases(ORGANISATION)  # not a phase an algorithm sits in


def test_origin_is_the_earliest_reached_phase():
    phases = {"ontwerp", "verificatie-en-validatie"}
    assert origin(phases, "implementatie") == "ontwerp"
    assert origin(phases, "probleemanalyse") == ""
    assert upcoming(phases, "probleemanalyse") == "ontwerp"
    assert origin({ORGANISATION, "uitfaseren"}, "ontwerp") == ORGANISATION


def values(phase: str, stage: str = "") -> dict:
    return {
        "phase": phase,
        "stage": stage,
        "is_ai_system": False,
        "soort_toepassing": "",
        "risicogroep": "",
        "rol_ai_act": [],
        "transparantieverplichting": "",
        "systeemrisico": "",
        "open_source": "",
        "impactful": True,
    }


@pytest.fixture
def registered(v251, db):
    release = import_release(v251, label="v2.5.1").release
    owner = make_user("dpia-owner")
    algorithm = create_algorithm(
        actor=owner,
        values={
            "name": "Toeslagen",
            "description": "",
            "organisation": make_organisation(),
            "release": release,
            **values("ontwerp"),
        },
    )
    return algorithm, owner


def to_implementatie(algorithm, owner):
    algorithm.refresh_from_db()
    profile = AIProfile.not_ai(impactful=True)
    return change_profile(
        algorithm,
        actor=owner,
        version=algorithm.version,
        values=values("implementatie", "pilot"),
        profile=profile,
    )


def test_dpia_done_in_ontwerp_stays_with_its_evidence_in_implementatie(registered):
    algorithm, owner = registered
    dpia = algorithm.items.get(catalog_item__code="avg-13")
    assert dpia.origin_phase == "ontwerp"
    organisation_wide = algorithm.items.current().filter(origin_phase=ORGANISATION)
    assert organisation_wide.exists()  # organisatieverantwoordelijkheden is included
    dpia.status, dpia.owner = ChecklistItem.Status.DONE, owner
    dpia.save(update_fields=["status", "owner"])
    evidence = add_note(dpia, owner, note="DPIA vastgesteld", title="DPIA")

    change = to_implementatie(algorithm, owner)

    assert not [c for c in change.plan.retired if c.item.code in {"avg-13", "grw-01", "awb-01"}]
    dpia.refresh_from_db()
    assert dpia.retired_at is None
    assert dpia.status == ChecklistItem.Status.DONE
    assert list(dpia.evidence.all()) == [evidence]
    assert dpia.origin_phase == "ontwerp"
    assert dpia.origin_name == "Ontwerp"
    assert dpia.reasons[-1]["text"] == "Uit de fase Ontwerp"
    codes = set(algorithm.items.current().values_list("catalog_item__code", flat=True))
    assert {"grw-01", "grw-02", "awb-01", "imp-01"} <= codes


def test_gate_lists_the_open_dpia_of_an_earlier_phase_as_a_blocker(registered):
    algorithm, owner = registered
    to_implementatie(algorithm, owner)
    algorithm.refresh_from_db()
    dpia = algorithm.items.get(catalog_item__code="avg-13")
    readiness = go_live_readiness(algorithm)
    assert f"item:{dpia.pk}:not-done" in readiness.keys
    blocker = next(b for b in readiness.blockers if b.key == f"item:{dpia.pk}:not-done")
    assert blocker.category == "vereisten"
    assert "avg-13" in blocker.label


def test_items_of_later_phases_are_upcoming_not_counted(registered, client):
    algorithm, owner = registered
    codes = set(algorithm.items.values_list("catalog_item__code", flat=True))
    assert "avg-13" in codes
    client.force_login(owner)
    response = client.get(f"/algoritmes/{algorithm.slug}/checklist/")
    assert response.status_code == 200
    upcoming_items = response.context["upcoming"]
    assert upcoming_items
    upcoming_codes = {judged.item.code for judged in upcoming_items}
    assert not upcoming_codes & codes  # shown apart, never on the checklist
    assert "Komende fasen" in response.text
    assert response.context["progress"].total == algorithm.items.current().count()


def test_upcoming_items_are_judged_once_per_phase_and_profile(registered, client, monkeypatch):
    """The checklist does not judge the whole catalogue on every view: the items of later
    phases are kept per release, phase, stage and profile, and follow a change of any."""
    from tracker.checklist import sync

    algorithm, owner = registered
    judged = []
    evaluate = sync.evaluate
    monkeypatch.setattr(sync, "evaluate", lambda *a, **kw: judged.append(kw) or evaluate(*a, **kw))
    client.force_login(owner)
    url = f"/algoritmes/{algorithm.slug}/checklist/"
    first = {j.item.code for j in client.get(url).context["upcoming"]}
    with CaptureQueriesContext(connection) as kept:
        again = {j.item.code for j in client.get(url).context["upcoming"]}
    assert again == first
    assert len(judged) == 1
    # Their links (catalog pages, by release label) come kept as well: no query for them.
    releases = [q for q in kept.captured_queries if 'FROM "tracker_contentrelease"' in q["sql"]]
    assert len(releases) == 1  # the content pack's newest release, not one per link

    to_implementatie(algorithm, owner)
    judged.clear()
    later = {j.item.code for j in client.get(url).context["upcoming"]}
    assert len(judged) == 1  # a new phase: judged anew
    assert later != first
    assert not later & set(algorithm.items.current().values_list("catalog_item__code", flat=True))
