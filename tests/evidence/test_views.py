"""Evidence views: add a link or note, withdraw — each role, htmx and without JavaScript."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.evidence import samples
from tests.evidence.helpers import (
    HTMX,
    add_url,
    download,
    file_evidence,
    item_url,
    stored_files,
    upload,
)
from tests.world import World, make_algorithm, make_checklist_item
from tracker.audit.models import AuditEntry
from tracker.evidence import actions
from tracker.evidence.models import Evidence

# -- add -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["contributor", "approver", "owner"])
def test_editors_add_a_note_and_are_sent_back_to_the_item(client, world, role) -> None:
    client.force_login(world.users[role])
    response = client.post(
        add_url(world), {"kind": "note", "title": "Overleg", "note": "Besproken met de FG."}
    )
    assert response.status_code == 302
    assert response["Location"] == item_url(world)
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.title, evidence.note) == (
        "note",
        "Overleg",
        "Besproken met de FG.",
    )
    assert evidence.added_by == world.users[role]
    entry = AuditEntry.objects.for_object(evidence).get()
    assert (entry.action, entry.algorithm, entry.actor) == (
        "create",
        world.algorithm,
        world.users[role],
    )
    assert entry.changes["note"] == [None, "Besproken met de FG."]


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("portfolio", 403), ("outsider", 404)]
)
def test_others_may_not_add_evidence(client, world, role, status, settings) -> None:
    client.force_login(world.users[role])
    response = upload(client, world, "rapport.pdf", samples.PDF)
    assert response.status_code == status
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_anonymous_users_are_sent_to_log_in(client, world) -> None:
    response = client.post(add_url(world), {"kind": "note", "title": "x", "note": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Evidence.objects.exists()


def test_an_item_of_another_algorithm_is_not_found(client, world) -> None:
    other = make_checklist_item(make_algorithm())
    client.force_login(world.contributor)
    response = client.post(
        reverse("evidence:add", args=[world.algorithm.slug, other.pk]),
        {"kind": "note", "title": "x", "note": "y"},
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_a_link_must_be_http_or_https(client, world) -> None:
    client.force_login(world.contributor)
    response = client.post(
        add_url(world), {"kind": "url", "title": "Script", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 422
    assert "begint met http:// of https://" in response.content.decode()
    response = client.post(
        add_url(world),
        {"kind": "url", "title": "Register", "url": "https://algoritmes.overheid.nl/x"},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://algoritmes.overheid.nl/x"


def test_a_note_needs_a_title_and_text(client, world) -> None:
    client.force_login(world.contributor)
    response = client.post(add_url(world), {"kind": "note", "title": "", "note": "  "})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Geef het bewijs een titel." in body
    assert "Schrijf de notitie." in body
    assert not Evidence.objects.exists()


def test_with_htmx_the_section_is_swapped_in(client, world) -> None:
    client.force_login(world.contributor)
    response = client.post(
        add_url(world), {"kind": "note", "title": "Overleg", "note": "Tekst"}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="evidence-{world.item.pk}"' in body
    assert "Overleg" in body
    assert "Bewijs toegevoegd." in body


def test_with_htmx_the_sidebar_count_is_updated_out_of_band(client, world) -> None:
    client.force_login(world.contributor)
    count_id = f'id="aantal-bewijs-{world.item.pk}"'
    page = client.get(item_url(world)).content.decode()
    assert f"{count_id}>0</dd>" in page
    for n in (1, 2):
        body = client.post(
            add_url(world), {"kind": "note", "title": f"Overleg {n}", "note": "Tekst"}, **HTMX
        ).content.decode()
        assert f'{count_id} hx-swap-oob="true">{n}</dd>' in body
    assert f"{count_id}>2</dd>" in client.get(item_url(world)).content.decode()


# -- withdraw ------------------------------------------------------------------------


def withdraw_url(w: World, evidence: Evidence) -> str:
    return reverse("evidence:withdraw", args=[w.algorithm.slug, evidence.pk])


def test_withdrawing_keeps_the_evidence_with_who_when_and_why(client, world, settings) -> None:
    evidence = file_evidence(world)
    client.force_login(world.approver)
    response = client.post(withdraw_url(world, evidence), {"reason": "Verouderde versie"})
    assert response.status_code == 302
    assert response["Location"] == item_url(world)
    evidence.refresh_from_db()
    assert evidence.is_withdrawn
    assert evidence.withdrawn_by == world.approver
    assert evidence.withdrawal_reason == "Verouderde versie"
    assert evidence.withdrawn_at is not None
    assert len(stored_files(settings)) == 1
    entry = AuditEntry.objects.for_object(evidence).filter(action="withdraw").get()
    assert entry.algorithm == world.algorithm
    assert entry.changes["withdrawal_reason"] == [None, "Verouderde versie"]

    # Members can still download it; the section marks it withdrawn.
    client.force_login(world.viewer)
    assert download(client, world, evidence.pk)[1] == samples.PDF
    client.force_login(world.contributor)
    response = client.post(withdraw_url(world, evidence), {"reason": "nogmaals"}, **HTMX)
    body = response.content.decode()
    assert "Ingetrokken" in body
    assert "Verouderde versie" in body


def test_withdrawing_twice_is_a_conflict(client, world) -> None:
    evidence = file_evidence(world)
    actions.withdraw(evidence, world.owner, reason="Eerste")
    client.force_login(world.contributor)
    response = client.post(withdraw_url(world, evidence), {"reason": "Tweede"})
    assert response.status_code == 409
    assert "intussen al ingetrokken door owner" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.withdrawal_reason == "Eerste"
    assert AuditEntry.objects.for_object(evidence).filter(action="withdraw").count() == 1


def test_withdrawing_needs_a_reason(client, world) -> None:
    evidence = file_evidence(world)
    client.force_login(world.contributor)
    response = client.post(withdraw_url(world, evidence), {"reason": "   "}, **HTMX)
    assert response.status_code == 422
    assert "Geef de reden waarom u dit bewijs intrekt." in response.content.decode()
    evidence.refresh_from_db()
    assert not evidence.is_withdrawn


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("portfolio", 403), ("outsider", 404)]
)
def test_others_may_not_withdraw(client, world, role, status) -> None:
    evidence = file_evidence(world)
    client.force_login(world.users[role])
    response = client.post(withdraw_url(world, evidence), {"reason": "weg ermee"})
    assert response.status_code == status
    evidence.refresh_from_db()
    assert not evidence.is_withdrawn


def test_withdraw_is_post_only(client, world) -> None:
    evidence = file_evidence(world)
    client.force_login(world.contributor)
    assert client.get(withdraw_url(world, evidence)).status_code == 405


# -- the section's query count -------------------------------------------------------


def section_queries(client, w: World) -> int:
    client.force_login(w.contributor)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(add_url(w), {"kind": "note", "title": "", "note": ""}, **HTMX)
    assert response.status_code == 422
    return len(queries)


def test_the_section_query_count_does_not_grow_with_the_evidence(client, world) -> None:
    for _ in range(2):
        actions.add_note(world.item, world.contributor, note="n", title="t")
    few = section_queries(client, world)
    for n in range(20):
        evidence = actions.add_note(world.item, world.owner, note="n", title=f"t{n}")
        if n % 2:
            actions.withdraw(evidence, world.approver, reason="r")
    assert section_queries(client, world) == few


def test_the_add_view_still_checks_the_csrf_token(world) -> None:
    """The view is csrf_exempt only to check the size before reading the body; the
    CSRF check then runs inside it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.contributor)
    data = {"kind": "note", "title": "Overleg", "note": "Tekst"}
    assert client.post(add_url(world), data).status_code == 403
    assert not Evidence.objects.exists()
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.post(add_url(world), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Evidence.objects.count() == 1
