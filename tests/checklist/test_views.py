"""Checklist page and item page: access per role, htmx vs plain responses, saving."""

from datetime import date

import pytest
from django.urls import reverse

from tests.checklist.requests import HTMX, item_url, list_url, update_data
from tests.world import make_algorithm, make_checklist_item
from tracker.audit.models import AuditEntry
from tracker.checklist.models import ChecklistItem, Comment, ItemDecision
from tracker.evidence.models import Evidence

Status = ChecklistItem.Status
ROLES = ("viewer", "contributor", "approver", "owner", "portfolio", "outsider")


@pytest.mark.parametrize("name", ["checklist:list", "checklist:item"])
def test_pages_need_login(client, world, name):
    url = list_url(world) if name == "checklist:list" else item_url(world)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "expected"),
    [(role, 404 if role == "outsider" else 200) for role in ROLES],
)
def test_pages_are_readable_by_every_member_and_portfolio_viewer(client_for, world, role, expected):
    client = client_for(world.users[role])
    assert client.get(list_url(world)).status_code == expected
    assert client.get(item_url(world)).status_code == expected


def test_readers_get_no_edit_controls(client_for, world):
    body = client_for(world.viewer).get(list_url(world)).content.decode()
    assert 'name="status"' not in body.split('id="results"')[1]  # only the filter has one
    assert reverse("checklist:update", args=[world.algorithm.slug, world.item.pk]) not in body
    item_page = client_for(world.viewer).get(item_url(world)).content.decode()
    assert "Besluit vastleggen" not in item_page
    assert "Opmerking plaatsen" not in item_page


def test_item_of_another_algorithm_is_not_found(client_for, world):
    other = make_checklist_item(make_algorithm(release=world.algorithm.release))
    url = reverse("checklist:item", args=[world.algorithm.slug, other.pk])
    assert client_for(world.owner).get(url).status_code == 404
    url = reverse("checklist:update", args=[world.algorithm.slug, other.pk])
    response = client_for(world.owner).post(url, update_data(other, status=Status.DONE))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.OPEN


POSTS = {
    "checklist:update": lambda w: update_data(w.item, status=Status.DONE),
    "checklist:instruction": lambda w: {
        "instruction-version": 1,
        "instruction-work_instruction": "Stap 1",
    },
    "checklist:comment": lambda w: {"body": "Graag reactie"},
    "checklist:decide": lambda w: {"verdict": "go", "rationale": "Alles op orde"},
}
ALLOWED = {
    "checklist:update": {"contributor", "approver", "owner"},
    "checklist:instruction": {"contributor", "approver", "owner"},
    "checklist:comment": {"contributor", "approver", "owner"},
    "checklist:decide": {"approver"},
}


def changed(world, name) -> bool:
    world.item.refresh_from_db()
    return {
        "checklist:update": world.item.status == Status.DONE,
        "checklist:instruction": world.item.work_instruction == "Stap 1",
        "checklist:comment": Comment.objects.exists(),
        "checklist:decide": ItemDecision.objects.exists(),
    }[name]


@pytest.mark.parametrize("name", sorted(POSTS))
@pytest.mark.parametrize("role", ROLES)
def test_post_actions_per_role(client_for, world, name, role):
    response = client_for(world.users[role]).post(item_url(world, name), POSTS[name](world))
    if role in ALLOWED[name]:
        assert response.status_code == 302
        assert changed(world, name)
        assert AuditEntry.objects.filter(actor=world.users[role]).count() == 1
    else:
        assert response.status_code == (404 if role == "outsider" else 403)
        assert not changed(world, name)
        assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", sorted(POSTS))
def test_post_actions_need_login_and_post(client, client_for, world, name):
    response = client.post(item_url(world, name), POSTS[name](world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(world.owner).get(item_url(world, name)).status_code == 405
    assert not changed(world, name)


# -- update: plain and htmx ------------------------------------------------------------


def test_plain_update_redirects_back_to_the_filtered_list_with_a_message(client_for, world):
    client = client_for(world.contributor)
    back = list_url(world, "?status=open&group=vereiste")
    data = update_data(
        world.item, status=Status.IN_PROGRESS, owner=world.owner.pk, due_date="2026-09-30"
    )
    data.update(next=back, **{"from": "row"})
    response = client.post(item_url(world, "checklist:update"), data)
    assert response.status_code == 302
    assert response["Location"] == back
    world.item.refresh_from_db()
    assert (world.item.status, world.item.owner, world.item.due_date, world.item.version) == (
        Status.IN_PROGRESS,
        world.owner,
        date(2026, 9, 30),
        2,
    )
    entry = AuditEntry.objects.for_object(world.item).get()
    assert entry.changes["status"] == ["open", "in_progress"]
    page = client.get(back).content.decode()
    assert "is bijgewerkt" in page


def test_next_pointing_elsewhere_is_ignored(client_for, world):
    data = {**update_data(world.item, status=Status.DONE), "next": "https://evil.example/"}
    response = client_for(world.contributor).post(item_url(world, "checklist:update"), data)
    assert response["Location"] == item_url(world)


def test_htmx_row_update_returns_the_row_and_progress(client_for, world):
    make_checklist_item(world.algorithm)  # a second item: 1 of 2 ready = 50%
    data = {**update_data(world.item, status=Status.DONE), "from": "row"}
    response = client_for(world.contributor).post(item_url(world, "checklist:update"), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr class="utrecht-table__row" id="rij-{world.item.pk}">')
    assert "<html" not in body
    assert '<option value="done" selected>' in body
    assert 'name="version" value="2"' in body  # the row can be saved again
    assert 'hx-swap-oob="true"' in body
    assert "Voortgang: 50% gereed" in body
    world.item.refresh_from_db()
    assert world.item.status == Status.DONE


def test_not_applicable_without_justification_is_an_error_in_the_row(client_for, world):
    data = {
        **update_data(world.item, status=Status.NOT_APPLICABLE, owner=world.owner.pk),
        "from": "row",
    }
    response = client_for(world.contributor).post(item_url(world, "checklist:update"), data, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Geef een onderbouwing waarom dit item niet van toepassing is." in body
    # The user's own choices are still in the row.
    assert '<option value="not_applicable" selected>' in body
    assert f'<option value="{world.owner.pk}" selected>' in body
    world.item.refresh_from_db()
    assert (world.item.status, world.item.owner, world.item.version) == (Status.OPEN, None, 1)
    assert not AuditEntry.objects.exists()


def test_not_applicable_with_justification_is_saved(client_for, world):
    data = update_data(world.item, status=Status.NOT_APPLICABLE, justification="  Geen AI  ")
    client_for(world.contributor).post(item_url(world, "checklist:update"), data)
    world.item.refresh_from_db()
    assert (world.item.status, world.item.justification) == (Status.NOT_APPLICABLE, "Geen AI")


def test_plain_invalid_update_shows_the_item_form_with_the_error(client_for, world):
    data = update_data(world.item, status=Status.NOT_APPLICABLE)
    response = client_for(world.contributor).post(item_url(world, "checklist:update"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" in body
    assert "Geef een onderbouwing" in body
    assert '<option value="not_applicable" selected>' in body


def test_owner_must_be_a_member_of_the_algorithm(client_for, world):
    data = update_data(world.item, owner=world.outsider.pk)
    response = client_for(world.contributor).post(item_url(world, "checklist:update"), data)
    assert response.status_code == 422
    assert "lid is van dit algoritme" in response.content.decode()
    world.item.refresh_from_db()
    assert world.item.owner is None


def test_comment_htmx_and_empty_comment(client_for, world):
    client = client_for(world.contributor)
    response = client.post(item_url(world, "checklist:comment"), {"body": "Graag"}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="opmerkingen"')
    assert "Graag" in response.content.decode()
    response = client.post(item_url(world, "checklist:comment"), {"body": "   "}, **HTMX)
    assert response.status_code == 422
    assert Comment.objects.count() == 1


def test_decisions_conditional_needs_conditions(client_for, world):
    client = client_for(world.approver)
    url = item_url(world, "checklist:decide")
    response = client.post(url, {"verdict": "conditional", "rationale": "Bijna"}, **HTMX)
    assert response.status_code == 422
    assert "Noem de voorwaarden" in response.content.decode()
    assert not ItemDecision.objects.exists()

    data = {"verdict": "conditional", "conditions": "DPIA eerst", "rationale": "Bijna"}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    decision = ItemDecision.objects.get()
    assert (decision.verdict, decision.conditions, decision.decided_by) == (
        "conditional",
        "DPIA eerst",
        world.approver,
    )
    assert "Go onder voorwaarden" in response.content.decode()
    assert AuditEntry.objects.for_object(decision).exists()


def test_item_page_shows_content_reasons_and_trail(client_for, world):
    item = world.item
    ChecklistItem.objects.filter(pk=item.pk).update(
        reasons=["Koppelt aan geen vereiste", {"code": "x", "text": "Geen AI-labels: geldt altijd"}]
    )
    evidence = Evidence.objects.create(
        item=item, kind="note", title="Verslag", note="tekst", added_by=world.contributor
    )
    from tracker.audit.trail import record

    record(actor=world.contributor, obj=evidence, action="create", algorithm=world.algorithm)
    other_evidence = Evidence.objects.create(
        item=make_checklist_item(world.algorithm),
        kind="note",
        title="Ander",
        note="x",
        added_by=world.contributor,
    )
    record(actor=world.contributor, obj=other_evidence, action="create", algorithm=world.algorithm)
    client = client_for(world.contributor)
    client.post(item_url(world, "checklist:update"), update_data(item, status=Status.DONE))

    body = client.get(item_url(world)).content.decode()
    assert item.catalog_item.title in body
    assert item.catalog_item.urn in body
    assert "Tekst." in body  # the rendered body
    assert "Koppelt aan geen vereiste" in body
    assert "Geen AI-labels: geldt altijd" in body
    trail = body.split('id="logboek"')[1]
    assert "Verslag" in trail  # the item's evidence entry
    assert "Ander" not in trail  # another item's evidence
    assert "Gereed" in trail or "done" in trail


def test_retired_item_page_says_so(client_for, world):
    from django.utils import timezone

    ChecklistItem.objects.filter(pk=world.item.pk).update(
        retired_at=timezone.now(), retired_reason="Fase gewijzigd"
    )
    body = client_for(world.viewer).get(item_url(world)).content.decode()
    assert "niet meer van toepassing sinds" in body
    assert "Fase gewijzigd" in body


def test_item_page_query_count_does_not_grow_with_its_records(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracker.checklist import actions
    from tracker.risks.models import ResidualRisk

    client = client_for(world.approver)

    def add_records(n):
        for i in range(n):
            Evidence.objects.create(
                item=world.item, kind="note", title=f"e{i}", added_by=world.contributor
            )
            ResidualRisk.objects.create(
                item=world.item,
                description="r",
                likelihood=2,
                impact=2,
                owner=world.owner,
                created_by=world.contributor,
            )
            actions.add_comment(world.item, world.contributor, body=f"c{i}")
            actions.decide_item(world.item, world.approver, verdict="go", rationale="ok")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(item_url(world)).status_code == 200
        return len(captured.captured_queries)

    add_records(1)
    one = count()
    add_records(9)
    assert count() == one
