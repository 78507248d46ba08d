"""The pilot evaluation: per criterion measured value and met, the findings."""

import datetime

import pytest
from django.urls import reverse

from tests.pilots.helpers import evaluation_post, make_pilot
from tracker.audit.models import AuditEntry
from tracker.pilots.models import CriterionResult, PilotEvaluation

pytestmark = pytest.mark.django_db


def evaluate_url(world) -> str:
    return reverse("pilots:evaluate", args=[world.algorithm.slug])


def test_contributor_evaluates_the_pilot(world, login):
    pilot = make_pilot(world, criteria=2)
    first, second = pilot.criteria.all()
    client = login(world.contributor)
    data = evaluation_post(pilot, **{f"met_{second.pk}": "nee", f"measured_{second.pk}": "14"})

    response = client.post(evaluate_url(world), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("pilots:detail", args=[world.algorithm.slug])
    evaluation = PilotEvaluation.objects.get(pilot=pilot)
    assert evaluation.evaluated_by == world.contributor
    assert evaluation.usability_findings.startswith("Behandelaars begrijpen")
    results = {row.criterion_id: (row.measured_value, row.met) for row in evaluation.results.all()}
    assert results == {first.pk: ("8", True), second.pk: ("14", False)}
    pilot.refresh_from_db()
    assert pilot.version == 2
    assert AuditEntry.objects.for_object(evaluation).filter(action="create").exists()
    assert AuditEntry.objects.filter(object_type="tracker.criterionresult").count() == 2
    assert AuditEntry.objects.for_object(pilot).filter(action="evaluate").exists()

    detail = client.get(reverse("pilots:detail", args=[world.algorithm.slug])).content.decode()
    assert "14" in detail
    assert "<strong>Nee</strong>" in detail


def test_correcting_the_evaluation_updates_and_records_old_and_new(world, login):
    pilot = make_pilot(world, criteria=1, evaluated=True)
    [criterion] = pilot.criteria.all()
    data = evaluation_post(pilot, **{f"measured_{criterion.pk}": "9"})
    response = login(world.owner).post(evaluate_url(world), data)
    assert response.status_code == 302
    result = CriterionResult.objects.get(criterion=criterion)
    assert result.measured_value == "9"
    entry = AuditEntry.objects.for_object(result).get(action="update")
    assert entry.changes["measured_value"] == ["8", "9"]


def test_early_evaluation_is_allowed_with_a_notice(world, login):
    end = datetime.date.today() + datetime.timedelta(days=30)
    make_pilot(world, start_date=datetime.date.today(), end_date=end)
    page = login(world.contributor).get(evaluate_url(world))
    assert page.status_code == 200
    assert 'id="vroeg"' in page.content.decode()


def test_no_notice_after_the_end_date(world, login):
    make_pilot(world)
    world.algorithm.pilots.update(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 2, 1)
    )
    page = login(world.contributor).get(evaluate_url(world))
    assert 'id="vroeg"' not in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("measured", "", "Vul de gemeten waarde in."),
        ("met", "", "Kies of het criterium is gehaald."),
        ("usability_findings", "  ", "konden werken"),
    ],
)
def test_incomplete_evaluation_is_refused(world, login, field, value, message):
    pilot = make_pilot(world, criteria=1)
    [criterion] = pilot.criteria.all()
    name = field if field == "usability_findings" else f"{field}_{criterion.pk}"
    response = login(world.contributor).post(
        evaluate_url(world), evaluation_post(pilot, **{name: value})
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PilotEvaluation.objects.exists()


def test_stale_evaluation_is_refused_with_what_changed(world, login):
    pilot = make_pilot(world, criteria=1)
    loaded = evaluation_post(pilot)
    [criterion] = pilot.criteria.all()
    login(world.owner).post(evaluate_url(world), evaluation_post(pilot))

    response = login(world.contributor).post(
        evaluate_url(world), {**loaded, f"measured_{criterion.pk}": "99"}
    )

    assert response.status_code == 409
    assert 'id="stale"' in response.content.decode()
    assert CriterionResult.objects.get().measured_value == "8"


def test_without_a_pilot_there_is_nothing_to_evaluate(world, login):
    page = login(world.contributor).get(evaluate_url(world))
    assert page.status_code == 200
    assert "Leg eerst de pilot vast" in page.content.decode()
    response = login(world.contributor).post(evaluate_url(world), {"version": "1"})
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("portfolio", 403), ("outsider", 404)]
)
def test_refused_users_cannot_evaluate(world, login, role, status):
    pilot = make_pilot(world, criteria=1)
    response = login(world.users[role]).post(evaluate_url(world), evaluation_post(pilot))
    assert response.status_code == status
    assert not PilotEvaluation.objects.exists()


def test_anonymous_is_sent_to_login(world, login):
    pilot = make_pilot(world, criteria=1)
    response = login(None).post(evaluate_url(world), evaluation_post(pilot))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
