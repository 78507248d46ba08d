"""Recording and editing the pilot: validation, version check, stage rule, access."""

import pytest
from django.urls import reverse

from tests.pilots.helpers import existing_criteria_post, make_pilot, pilot_post
from tracker.audit.models import AuditEntry
from tracker.pilots.models import Pilot

pytestmark = pytest.mark.django_db


def edit_url(world) -> str:
    return reverse("pilots:edit", args=[world.algorithm.slug])


def test_contributor_records_a_new_pilot(world, login):
    client = login(world.contributor)
    page = client.get(edit_url(world))
    assert page.status_code == 200
    assert "Nieuwe pilot" in page.content.decode()

    response = client.post(edit_url(world), pilot_post())

    assert response.status_code == 302
    assert response["Location"] == reverse("pilots:detail", args=[world.algorithm.slug])
    pilot = Pilot.objects.get(algorithm=world.algorithm)
    assert pilot.created_by == world.contributor
    assert pilot.max_cases == 300
    assert pilot.processes_production_data
    assert [(c.name, c.metric, c.expected) for c in pilot.criteria.all()] == [
        ("Doorlooptijd", "Werkdagen per aanvraag", "<= 10")
    ]
    entries = AuditEntry.objects.filter(algorithm=world.algorithm, action="create")
    assert entries.filter(object_type="tracker.pilot", object_id=str(pilot.pk)).exists()
    assert entries.filter(object_type="tracker.successcriterion").count() == 1
    created = entries.get(object_type="tracker.pilot")
    assert created.actor == world.contributor
    assert created.changes["units"] == [None, "Afdeling Vergunningen"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2026-01-01"}, "end_date", "De einddatum ligt voor de startdatum."),
        ({"max_cases": "", "other_limit": ""}, "max_cases", "andere begrenzing"),
        ({"legal_basis": ""}, "legal_basis", "de pilot verwerkt productiedata"),
        (
            {"criteria-0-name": "", "criteria-0-metric": "", "criteria-0-expected": ""},
            None,
            "ten minste één succescriterium",
        ),
        ({"criteria-0-expected": ""}, "expected", "Dit veld is verplicht"),
        ({"units": "   "}, "units", "organisatieonderdelen"),
    ],
)
def test_invalid_pilot_is_refused_and_nothing_saved(world, login, overrides, field, message):
    client = login(world.contributor)
    before = AuditEntry.objects.count()

    response = client.post(edit_url(world), pilot_post(**overrides))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Pilot.objects.exists()
    assert AuditEntry.objects.count() == before


def test_other_limit_replaces_max_cases_and_no_production_data_needs_no_basis(world, login):
    client = login(world.contributor)
    data = pilot_post(
        max_cases="",
        other_limit="Alleen aanvragen uit de wijk Noord",
        processes_production_data=None,
        legal_basis="",
        legal_basis_url="",
    )
    response = client.post(edit_url(world), data)
    assert response.status_code == 302
    pilot = Pilot.objects.get()
    assert pilot.max_cases is None
    assert pilot.other_limit == "Alleen aanvragen uit de wijk Noord"
    assert not pilot.processes_production_data


def test_update_changes_fields_and_criteria_and_moves_the_version(world, login):
    pilot = make_pilot(world, criteria=2)
    first, second = pilot.criteria.all()
    client = login(world.owner)
    data = existing_criteria_post(
        pilot,
        units="Afdeling Vergunningen en Handhaving",
        **{
            "criteria-0-expected": "<= 5",
            "criteria-1-DELETE": "on",
            "criteria-TOTAL_FORMS": "3",
            "criteria-2-id": "",
            "criteria-2-name": "Tevredenheid",
            "criteria-2-metric": "Score 1-10",
            "criteria-2-expected": ">= 7",
        },
    )
    response = client.post(edit_url(world), data)

    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.version == 2
    assert pilot.units == "Afdeling Vergunningen en Handhaving"
    assert [(c.name, c.expected) for c in pilot.criteria.all()] == [
        ("Criterium 1", "<= 5"),
        ("Tevredenheid", ">= 7"),
    ]
    entry = AuditEntry.objects.for_object(pilot).get(action="update")
    assert entry.changes["units"] == [
        "Afdeling Vergunningen",
        "Afdeling Vergunningen en Handhaving",
    ]
    assert entry.changes["version"] == [1, 2]
    assert AuditEntry.objects.for_object(first).get(action="update").changes["expected"] == [
        "<= 10",
        "<= 5",
    ]
    assert AuditEntry.objects.for_object(second).filter(action="delete").exists()


def test_stale_form_is_refused_with_what_changed(world, login):
    pilot = make_pilot(world, criteria=1)
    loaded = existing_criteria_post(pilot)
    login(world.owner).post(edit_url(world), existing_criteria_post(pilot, units="Team Noord"))

    response = login(world.contributor).post(edit_url(world), {**loaded, "units": "Team Zuid"})

    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="stale"' in html
    assert "Afdeling Vergunningen → Team Noord" in html
    assert "owner" in html  # who changed it
    pilot.refresh_from_db()
    assert pilot.units == "Team Noord"
    assert pilot.version == 2
    # The form is offered again at the current version, so a resubmit can save.
    assert 'name="version" value="2"' in html


def test_second_new_pilot_form_while_one_was_created_is_stale(world, login):
    make_pilot(world)
    response = login(world.contributor).post(edit_url(world), pilot_post())
    assert response.status_code == 409
    assert Pilot.objects.count() == 1


def test_measured_criterion_cannot_be_removed(world, login):
    pilot = make_pilot(world, criteria=2, evaluated=True)
    data = existing_criteria_post(pilot, **{"criteria-1-DELETE": "on"})
    response = login(world.contributor).post(edit_url(world), data)
    assert response.status_code == 422
    assert "al gemeten" in response.content.decode()
    assert pilot.criteria.count() == 2


def test_only_in_implementatie_stage_pilot(world, login):
    world.algorithm.phase, world.algorithm.stage = "ontwerp", ""
    world.algorithm.save(update_fields=["phase", "stage"])
    client = login(world.contributor)

    page = client.get(edit_url(world))
    assert page.status_code == 200
    assert "fase Implementatie, stap pilot" in page.content.decode()
    assert "<form" not in page.content.decode().split('id="geweigerd"')[1]

    response = client.post(edit_url(world), pilot_post())
    assert response.status_code == 409
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("portfolio", 403), ("outsider", 404)]
)
def test_refused_users_cannot_save(world, login, role, status):
    response = login(world.users[role]).post(edit_url(world), pilot_post())
    assert response.status_code == status
    assert not Pilot.objects.exists()


def test_anonymous_is_sent_to_login(world, login):
    response = login(None).post(edit_url(world), pilot_post())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Pilot.objects.exists()
