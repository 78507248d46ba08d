"""The pilot decision: only approvers, only after an evaluation; each outcome moves the
phase or stage through change_profile (checklist synced, audited) in one transaction."""

import pytest
from django.urls import reverse

from tests.pilots.helpers import evaluate, make_pilot
from tracker.algorithms.actions import PROFILE_FIELDS
from tracker.audit.models import AuditEntry
from tracker.checklist.profile import change_profile
from tracker.decisions.models import Decision
from tracker.pilots import actions
from tracker.pilots.models import Pilot

pytestmark = pytest.mark.django_db


def decide_url(world) -> str:
    return reverse("pilots:decide", args=[world.algorithm.slug])


def post(pilot: Pilot, outcome: str = "implement", current: str = "", **extra) -> dict:
    return {
        "outcome": outcome,
        "rationale": "De pilot is geslaagd.",
        "current": current,
        "pilot_version": str(pilot.version),
        **extra,
    }


def current_codes(algorithm) -> set[str]:
    return set(algorithm.items.current().values_list("catalog_item__code", flat=True))


@pytest.mark.parametrize(
    ("outcome", "phase", "stage", "codes"),
    [
        ("develop", "ontwikkelen", "", {"owk-01"}),
        # Every item of the phases reached stays (owk-01 of ontwikkelen, avg-01 of
        # implementatie); only the stage's pilot criterion goes.
        ("phase_out", "uitfaseren", "", {"owk-01", "avg-01", "uit-01"}),
        (
            "implement",
            "implementatie",
            "production",
            {"avg-01", "owk-01", "gl-01", "gl-02", "gl-03", "gl-04", "gl-05", "gl-06"},
        ),
    ],
)
def test_approver_decides_and_the_phase_and_checklist_follow(
    world, login, outcome, phase, stage, codes
):
    assert current_codes(world.algorithm) == {"avg-01", "owk-01", "pil-01"}
    pilot = make_pilot(world, evaluated=True)
    version = world.algorithm.version

    response = login(world.approver).post(decide_url(world), post(pilot, outcome))

    assert response.status_code == 302
    assert response["Location"] == reverse("pilots:detail", args=[world.algorithm.slug])
    world.algorithm.refresh_from_db()
    assert (world.algorithm.phase, world.algorithm.stage) == (phase, stage)
    assert world.algorithm.version == version + 1
    assert current_codes(world.algorithm) == codes
    # nothing deleted: the pilot criterion is retired, not removed
    assert world.algorithm.items.filter(catalog_item__code="pil-01", retired_at__isnull=False)

    decision = Decision.objects.get(algorithm=world.algorithm)
    assert decision.gate == Decision.Gate.PILOT
    assert decision.outcome == outcome
    assert decision.decided_by == world.approver
    assert decision.rationale == "De pilot is geslaagd."
    assert decision.snapshot_verifies()
    assert decision.snapshot["pilot"]["id"] == pilot.pk
    assert decision.pilot == pilot
    assert decision.snapshot["pilot"]["success_criteria"][0]["met"] is True
    # frozen before the phase change: the state the decision was taken on
    assert decision.snapshot["algorithm"]["stage"] == "pilot"

    entries = AuditEntry.objects.filter(algorithm=world.algorithm)
    assert entries.get(object_type="tracker.decision", action="create").actor == world.approver
    changed = entries.get(object_type="tracker.algorithm", action="profile_changed")
    assert changed.changes["stage"] == ["pilot", stage]
    assert changed.actor == world.approver


def test_decision_without_evaluation_is_refused(world, login):
    pilot = make_pilot(world)
    response = login(world.approver).post(decide_url(world), post(pilot))
    assert response.status_code == 422
    assert "eerst een evaluatie" in response.content.decode()
    assert not Decision.objects.exists()
    world.algorithm.refresh_from_db()
    assert world.algorithm.stage == "pilot"


def test_decision_without_pilot_is_refused(world, login):
    response = login(world.approver).post(
        decide_url(world), {"outcome": "implement", "rationale": "Ja", "pilot_version": "1"}
    )
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_decision_needs_a_rationale_and_an_outcome(world, login):
    pilot = make_pilot(world, evaluated=True)
    client = login(world.approver)
    response = client.post(decide_url(world), post(pilot, rationale="  "))
    assert response.status_code == 422
    assert "Geef een onderbouwing." in response.content.decode()
    response = client.post(decide_url(world), post(pilot, outcome="go"))
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_decision_outside_stage_pilot_is_refused(world, login):
    pilot = make_pilot(world, evaluated=True)
    values = {name: getattr(world.algorithm, name) for name in PROFILE_FIELDS}
    change_profile(
        world.algorithm,
        actor=world.owner,
        version=world.algorithm.version,
        values={**values, "stage": "production"},
        profile=world.algorithm.profile(),
    )
    response = login(world.approver).post(decide_url(world), post(pilot))
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_evaluation_changed_after_the_form_was_loaded_is_stale(world, login):
    pilot = make_pilot(world, evaluated=True)
    loaded = post(pilot)
    evaluate(world, pilot, met=False)

    response = login(world.approver).post(decide_url(world), loaded)

    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="stale"' in html
    assert "True → False" in html
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("contributor", 403), ("owner", 403), ("viewer", 403), ("portfolio", 403), ("outsider", 404)],
)
def test_only_approvers_decide(world, login, role, status):
    pilot = make_pilot(world, evaluated=True)
    response = login(world.users[role]).post(decide_url(world), post(pilot))
    assert response.status_code == status
    assert not Decision.objects.exists()
    world.algorithm.refresh_from_db()
    assert world.algorithm.stage == "pilot"


def test_anonymous_is_sent_to_login(world, login):
    pilot = make_pilot(world, evaluated=True)
    response = login(None).post(decide_url(world), post(pilot))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Decision.objects.exists()


def test_decide_is_post_only(world, login):
    assert login(world.approver).get(decide_url(world)).status_code == 405


def test_a_second_pilot_decision_supersedes_the_first(world, login):
    first = make_pilot(world, evaluated=True)
    client = login(world.approver)
    assert client.post(decide_url(world), post(first, "develop")).status_code == 302
    old = Decision.objects.get()
    world.algorithm.refresh_from_db()
    values = {name: getattr(world.algorithm, name) for name in PROFILE_FIELDS}
    change_profile(
        world.algorithm,
        actor=world.owner,
        version=world.algorithm.version,
        values={**values, "phase": "implementatie", "stage": "pilot"},
        profile=world.algorithm.profile(),
    )
    second = make_pilot(world, evaluated=True, start_date=first.end_date, end_date=first.end_date)
    assert second.pk != first.pk

    # a form loaded before the first decision is stale
    stale = client.post(decide_url(world), post(second, current=""))
    assert stale.status_code == 409
    assert Decision.objects.count() == 1

    response = client.post(decide_url(world), post(second, current=str(old.pk)))
    assert response.status_code == 302
    new = Decision.objects.exclude(pk=old.pk).get()
    assert new.supersedes == old
    assert new.snapshot["pilot"]["id"] == second.pk
    assert (new.pilot, old.pilot) == (second, first)
    old = Decision.objects.get(pk=old.pk)
    assert old.snapshot_verifies()

    page = client.get(reverse("pilots:detail", args=[world.algorithm.slug])).content.decode()
    assert "Eerdere pilots" in page
    assert f'id="pilot-{first.pk}"' in page
    assert "Verder ontwikkelen" in page
    assert "Implementeren" in page


def test_htmx_decision_redirects_the_client_and_errors_swap_the_section(world, login):
    pilot = make_pilot(world, evaluated=True)
    client = login(world.approver)
    invalid = client.post(decide_url(world), post(pilot, rationale=""), HTTP_HX_REQUEST="true")
    assert invalid.status_code == 422
    assert "<html" not in invalid.content.decode()
    assert "Pilotbesluit vastleggen" in invalid.content.decode()

    response = client.post(decide_url(world), post(pilot), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("pilots:detail", args=[world.algorithm.slug])
    assert Decision.objects.filter(outcome="implement").exists()


def test_criterion_added_after_the_evaluation_must_be_measured_first(world, login):
    pilot = make_pilot(world, criteria=1, evaluated=True)
    [measured] = pilot.criteria.all()
    actions.save_pilot(
        world.algorithm,
        world.contributor,
        expected_version=pilot.version,
        values={name: getattr(pilot, name) for name in actions.PILOT_FIELDS},
        criteria=[
            actions.CriterionSpec(measured.pk, measured.name, measured.metric, measured.expected),
            actions.CriterionSpec(None, "Klachten", "Aantal per maand", "<= 2"),
        ],
    )
    pilot.refresh_from_db()
    response = login(world.approver).post(decide_url(world), post(pilot))
    assert response.status_code == 422
    assert "mist de gemeten waarde van: Klachten" in response.content.decode()
    assert not Decision.objects.exists()
