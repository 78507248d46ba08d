"""The gate page and the decision views: who may do what, what is saved, what is shown."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.gates.helpers import add_items, make_ready_world
from tests.world import add_member, make_algorithm, make_condition, make_decision
from tracker.audit.models import AuditEntry
from tracker.checklist.models import ChecklistItem
from tracker.decisions.models import Decision, DecisionCondition

pytestmark = pytest.mark.django_db

Status = ChecklistItem.Status
NEXT_MONTH = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def gate():
    return make_ready_world(impactful=True)


def not_informed(gate) -> ChecklistItem:
    item = gate.criteria["betrokkenen-geinformeerd"]
    item.status = Status.OPEN
    item.save(update_fields=["status"])
    return item


def gate_url(gate) -> str:
    return reverse("gates:go_live", args=[gate.algorithm.slug])


def record_url(gate) -> str:
    return reverse("decisions:record", args=[gate.algorithm.slug])


def decision_data(outcome: str, rationale: str = "Besproken in het MT.", conditions=(), current=""):
    data = {
        "outcome": outcome,
        "rationale": rationale,
        "current": current,
        "voorwaarde-TOTAL_FORMS": str(len(conditions)),
        "voorwaarde-INITIAL_FORMS": str(len(conditions)),
    }
    for n, condition in enumerate(conditions):
        for name, value in condition.items():
            data[f"voorwaarde-{n}-{name}"] = value
    return data


def condition_row(key: str, owner, description: str = "Brief aan alle betrokkenen") -> dict:
    return {
        "blocker_key": key,
        "chosen": "on",
        "description": description,
        "owner": str(owner.pk),
        "due_date": NEXT_MONTH.isoformat(),
    }


# --- the gate page -------------------------------------------------------------------


def test_gate_page_shows_criteria_and_blockers_linking_to_items(client, gate):
    item = not_informed(gate)
    client.force_login(gate.viewer)
    response = client.get(gate_url(gate))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-criterion="betrokkenen-geinformeerd"' in html
    assert 'data-blocker="affected-persons"' in html
    assert reverse("checklist:item", args=[gate.algorithm.slug, item.pk]) in html
    assert response.context["readiness"].keys == {"affected-persons"}
    assert 'data-figure="betrokkenen">1<' in html
    assert "Besluit vastleggen" not in html  # the form is for approvers only


def test_gate_page_offers_approvers_a_condition_row_per_blocker(client, gate):
    not_informed(gate)
    client.force_login(gate.approver)
    response = client.get(gate_url(gate))
    html = response.content.decode()
    assert "Besluit vastleggen" in html
    assert 'name="voorwaarde-0-blocker_key" value="affected-persons"' in html
    assert 'name="voorwaarde-TOTAL_FORMS" value="1"' in html


def test_gate_page_query_count_does_not_grow_with_the_checklist(
    client, gate, django_assert_num_queries
):
    client.force_login(gate.approver)
    make_decision(gate.algorithm, gate.approver)
    add_items(gate.algorithm, 10, gate.contributor)
    with CaptureQueriesContext(connection) as small:
        client.get(gate_url(gate))
    add_items(gate.algorithm, 90, gate.contributor)
    with django_assert_num_queries(len(small)):
        response = client.get(gate_url(gate))
    assert len(response.context["readiness"].blockers) == 100  # 50 open, 50 without owner


# --- recording a decision ------------------------------------------------------------


def test_approver_records_a_go_without_blockers(client, gate):
    client.force_login(gate.approver)
    response = client.post(record_url(gate), decision_data("go"))
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "decisions:detail", args=[gate.algorithm.slug, decision.pk]
    )
    assert (decision.outcome, decision.decided_by) == ("go", gate.approver)
    assert decision.snapshot_verifies()
    assert AuditEntry.objects.for_object(decision).filter(action="create").exists()


def test_go_with_blockers_is_refused_and_the_page_says_why(client, gate):
    not_informed(gate)
    client.force_login(gate.approver)
    response = client.post(record_url(gate), decision_data("go"))
    assert response.status_code == 422
    assert not Decision.objects.exists()
    html = response.content.decode()
    assert "Niet vastgelegd" in html
    assert "Betrokkenen zijn niet geïnformeerd" in html


def test_conditional_go_naming_every_blocker_is_recorded(client, gate):
    not_informed(gate)
    client.force_login(gate.approver)
    data = decision_data(
        "conditional", conditions=[condition_row("affected-persons", gate.contributor)]
    )
    response = client.post(record_url(gate), data)
    assert response.status_code == 302
    condition = DecisionCondition.objects.get()
    assert condition.decision.outcome == "conditional"
    assert (condition.blocker_key, condition.owner, condition.due_date) == (
        "affected-persons",
        gate.contributor,
        NEXT_MONTH,
    )


def test_conditional_go_without_owner_or_date_is_refused_with_a_summary(client, gate):
    not_informed(gate)
    client.force_login(gate.approver)
    row = {**condition_row("affected-persons", gate.contributor), "owner": "", "due_date": ""}
    response = client.post(record_url(gate), decision_data("conditional", conditions=[row]))
    assert response.status_code == 422
    html = response.content.decode()
    summary = html[
        html.index('id="foutsamenvatting"') : html.index(
            "</ul>", html.index('id="foutsamenvatting"')
        )
    ]
    assert (
        "autofocus"
        in html[html.index("app-error-summary") - 200 : html.index("app-error-summary") + 200]
    )
    assert 'href="#id_voorwaarde-0-owner"' in summary
    assert "Kies een eigenaar, hier of voor alle voorwaarden." in summary
    assert 'href="#id_voorwaarde-0-due_date"' in summary
    assert html.index('id="foutsamenvatting"') < html.index('id="stand-heading"')  # at the top
    assert not Decision.objects.exists()


def test_conditional_go_missing_a_blocker_is_refused(client, gate):
    not_informed(gate)
    gate.requirement.owner = None
    gate.requirement.save(update_fields=["owner"])
    client.force_login(gate.approver)
    data = decision_data(
        "conditional", conditions=[condition_row("affected-persons", gate.contributor)]
    )
    response = client.post(record_url(gate), data)
    assert response.status_code == 422
    assert not Decision.objects.exists()
    refusal = response.context["refusal"]
    assert [b.key for b in refusal.blockers] == [f"item:{gate.requirement.pk}:no-owner"]
    # the re-rendered form keeps what was filled in for the named blocker
    assert "Brief aan alle betrokkenen" in response.content.decode()


def test_invalid_form_is_422_not_500(client, gate):
    client.force_login(gate.approver)
    response = client.post(record_url(gate), {"outcome": "maybe"})
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_a_decision_recorded_meanwhile_answers_409(client, gate):
    client.force_login(gate.approver)
    page = client.get(gate_url(gate))
    loaded_current = page.context["form"]["current"].value()
    other = make_decision(gate.algorithm, gate.approver, rationale="Door een collega")
    response = client.post(record_url(gate), decision_data("go", current=loaded_current))
    assert response.status_code == 409
    assert Decision.objects.get() == other
    assert reverse("decisions:detail", args=[gate.algorithm.slug, other.pk]) in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 403), ("contributor", 403), ("viewer", 403), ("portfolio", 403), ("outsider", 404)],
)
def test_only_approvers_record_decisions(client, gate, role, status):
    client.force_login(gate.users[role])
    response = client.post(record_url(gate), decision_data("no_go"))
    assert response.status_code == status
    assert not Decision.objects.exists()


def test_anonymous_is_sent_to_login(client, gate):
    response = client.post(record_url(gate), decision_data("no_go"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Decision.objects.exists()


def test_record_is_post_only(client, gate):
    client.force_login(gate.approver)
    assert client.get(record_url(gate)).status_code == 405


# --- history and detail --------------------------------------------------------------


def test_history_lists_every_decision_newest_first_marking_superseded(
    client, gate, django_assert_num_queries
):
    first = make_decision(gate.algorithm, gate.approver, rationale="Eerste")
    second = make_decision(gate.algorithm, gate.approver, rationale="Tweede")
    client.force_login(gate.viewer)
    url = reverse("decisions:list", args=[gate.algorithm.slug])
    response = client.get(url)
    assert [d.pk for d in response.context["decisions"]] == [second.pk, first.pk]
    html = response.content.decode()
    assert f'id="besluit-{first.pk}" data-superseded="yes"' in html
    assert f'id="besluit-{second.pk}" data-superseded="no"' in html
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for _ in range(8):
        make_decision(gate.algorithm, gate.approver)
    with django_assert_num_queries(len(two)):
        client.get(url)


def test_detail_shows_snapshot_and_whether_the_hash_holds(client, gate):
    decision = make_decision(gate.algorithm, gate.approver, rationale="Nog niet")
    client.force_login(gate.portfolio)
    url = reverse("decisions:detail", args=[gate.algorithm.slug, decision.pk])
    html = client.get(url).content.decode()
    assert decision.snapshot_hash in html
    assert 'data-verifies="yes"' in html
    assert "hash klopt" in html
    assert gate.requirement.catalog_item.title in html

    tampered = dict(decision.snapshot, items=[])
    Decision.objects.filter(pk=decision.pk).update(snapshot=tampered)
    html = client.get(url).content.decode()
    assert "hash klopt NIET" in html
    assert 'data-verifies="no"' in html


def test_detail_of_another_algorithms_decision_is_404(client, gate):
    other_world_decision = make_decision(
        make_ready_world_other(gate), gate.approver, rationale="Elders"
    )
    client.force_login(gate.approver)
    url = reverse("decisions:detail", args=[gate.algorithm.slug, other_world_decision.pk])
    assert client.get(url).status_code == 404


def make_ready_world_other(gate):
    algorithm = make_algorithm(organisation=gate.algorithm.organisation)
    add_member(algorithm, gate.approver, "approver")
    return algorithm


# --- conditions ----------------------------------------------------------------------


def condition_url(gate, condition) -> str:
    return reverse("decisions:condition_done", args=[gate.algorithm.slug, condition.pk])


def test_contributor_marks_a_condition_fulfilled(client, gate):
    condition = make_condition(gate.algorithm, gate.approver, gate.contributor)
    client.force_login(gate.contributor)
    response = client.post(condition_url(gate, condition), {"version": "1"})
    assert response.status_code == 302
    assert response["Location"] == gate_url(gate)
    condition.refresh_from_db()
    assert condition.status == DecisionCondition.Status.DONE
    assert AuditEntry.objects.for_object(condition).get(action="fulfil").actor == gate.contributor


def test_fulfilling_with_htmx_returns_the_conditions_part(client, gate):
    condition = make_condition(gate.algorithm, gate.approver, gate.contributor)
    client.force_login(gate.approver)
    response = client.post(condition_url(gate, condition), {"version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vervuld op" in html
    assert "<h1" not in html


def test_fulfilling_a_stale_condition_answers_409(client, gate):
    condition = make_condition(gate.algorithm, gate.approver, gate.contributor)
    client.force_login(gate.contributor)
    client.post(condition_url(gate, condition), {"version": "1"})
    response = client.post(condition_url(gate, condition), {"version": "1"})
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.content.decode()
    assert AuditEntry.objects.for_object(condition).filter(action="fulfil").count() == 1


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("portfolio", 403), ("outsider", 404)]
)
def test_readers_cannot_fulfil_conditions(client, gate, role, status):
    condition = make_condition(gate.algorithm, gate.approver, gate.contributor)
    client.force_login(gate.users[role])
    assert client.post(condition_url(gate, condition), {"version": "1"}).status_code == status
    condition.refresh_from_db()
    assert condition.status == DecisionCondition.Status.OPEN
