"""Evidence views: add (file, link, note), download, withdraw — each role, htmx and
without JavaScript, and the upload acceptance points over HTTP."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.evidence import samples
from tests.world import World, make_algorithm, make_checklist_item, make_world
from tracker.audit.models import AuditEntry
from tracker.evidence import actions
from tracker.evidence.models import Evidence, EvidenceImmutableError
from tracker.evidence.uploads import path_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(db) -> World:
    return make_world()


def add_url(w: World) -> str:
    return reverse("evidence:add", args=[w.algorithm.slug, w.item.pk])


def item_url(w: World) -> str:
    return reverse("checklist:item", args=[w.algorithm.slug, w.item.pk])


def upload(client, w: World, name: str, content: bytes, **extra):
    data = {"kind": "file", "title": "", "file": SimpleUploadedFile(name, content)}
    return client.post(add_url(w), data, **extra)


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.UPLOAD_ROOT).rglob("*") if p.is_file()]


def file_evidence(w: World, content: bytes = samples.PDF, name: str = "rapport.pdf"):
    return actions.add_file(
        w.item, w.contributor, upload=SimpleUploadedFile(name, content), title=""
    )


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


# -- uploads over HTTP: the acceptance points ----------------------------------------


def test_an_allowed_file_downloads_byte_identical_matching_its_sha256(client, world) -> None:
    client.force_login(world.contributor)
    response = upload(client, world, "Rapport DPIA.pdf", samples.PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert (evidence.title, evidence.file_name, evidence.size) == (
        "Rapport DPIA.pdf",
        "Rapport DPIA.pdf",
        len(samples.PDF),
    )

    client.force_login(world.viewer)
    response = client.get(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == samples.PDF
    assert hashlib.sha256(content).hexdigest() == evidence.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Rapport DPIA.pdf"'
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_oversized_file_is_refused(client, world, settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world.contributor)
    response = upload(client, world, "groot.pdf", samples.PDF + b"0" * 2048)
    assert response.status_code == 422
    assert "Bestand is groter dan 1 kB." in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_declared_oversized_body_is_refused_before_it_is_read(
    client, world, settings, monkeypatch
) -> None:
    def reads_the_body(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr("tracker.evidence.views._add", reads_the_body)
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world.contributor)
    response = upload(client, world, "groot.pdf", samples.PDF + b"0" * 100_000, **HTMX)
    assert response.status_code == 422
    assert "Bestand is groter dan 1 kB." in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("content", "shown"),
    [(samples.HTML, "de inhoud is HTML"), (samples.SVG, "de inhoud is SVG")],
)
def test_html_or_svg_named_pdf_is_refused(client, world, settings, content, shown) -> None:
    client.force_login(world.contributor)
    response = upload(client, world, "rapport.pdf", content)
    assert response.status_code == 422
    assert f"Het bestand is geen echte PDF: {shown}." in response.content.decode()
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.exists()
    assert stored_files(settings) == []


def test_a_path_traversal_file_name_never_leaves_the_upload_folder(
    client, world, settings, tmp_path
) -> None:
    """Django's multipart parser already cuts a name to its last path segment; the name is
    sanitised again and never used for the stored path."""
    client.force_login(world.contributor)
    target = Path(settings.UPLOAD_ROOT).parent / "evil.pdf"
    body, content_type = samples.multipart(
        {"kind": "file", "title": ""}, "file", "../../../../evil.pdf", samples.PDF
    )
    response = client.post(add_url(world), body, content_type=content_type)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file_name == "evil.pdf"
    assert not target.exists()
    [stored] = stored_files(settings)
    assert stored.is_relative_to(Path(settings.UPLOAD_ROOT))
    assert stored.name == evidence.stored_name


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("../../../etc/passwd", "Het bestand heeft geen extensie."),
        ("..\\..\\..\\.bashrc", "Bestanden met de extensie .bashrc zijn niet toegestaan."),
        ("..", "Kies een bestand om te uploaden."),
    ],
)
def test_a_path_traversal_file_name_without_a_valid_file_is_refused(
    client, world, settings, file_name, message
) -> None:
    client.force_login(world.contributor)
    body, content_type = samples.multipart(
        {"kind": "file", "title": ""}, "file", file_name, b"root:x:0:0:root:/root:/bin/sh\n"
    )
    response = client.post(add_url(world), body, content_type=content_type)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_evidence_is_never_overwritten(client, world, settings) -> None:
    client.force_login(world.contributor)
    upload(client, world, "rapport.pdf", samples.PDF)
    upload(client, world, "rapport.pdf", samples.PDF + b"% versie 2\n")
    first, second = Evidence.objects.order_by("pk")
    assert first.file_name == second.file_name == "rapport.pdf"
    assert first.stored_name != second.stored_name
    assert first.sha256 != second.sha256
    assert path_for(first.stored_name).read_bytes() == samples.PDF
    assert len(stored_files(settings)) == 2


def test_the_model_refuses_overwriting_and_deleting(world) -> None:
    evidence = file_evidence(world)
    evidence.title = "Anders"
    with pytest.raises(EvidenceImmutableError):
        evidence.save()
    with pytest.raises(EvidenceImmutableError):
        evidence.save(update_fields=["title"])
    with pytest.raises(EvidenceImmutableError):
        evidence.delete()
    assert Evidence.objects.get().title == "rapport.pdf"


# -- download ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("viewer", 200),
        ("contributor", 200),
        ("approver", 200),
        ("owner", 200),
        ("portfolio", 200),
        ("outsider", 404),
    ],
)
def test_download_is_for_readers_only(client, world, role, status) -> None:
    evidence = file_evidence(world)
    client.force_login(world.users[role])
    response = client.get(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response.status_code == status


def test_download_needs_a_login(client, world) -> None:
    evidence = file_evidence(world)
    response = client.get(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_evidence_of_another_algorithm_is_not_found_through_this_one(client, world) -> None:
    other_world_item = make_checklist_item(make_algorithm())
    evidence = actions.add_file(
        other_world_item, world.contributor, upload=SimpleUploadedFile("x.pdf", samples.PDF)
    )
    client.force_login(world.contributor)
    response = client.get(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response.status_code == 404


def test_a_note_has_no_download(client, world) -> None:
    note = actions.add_note(world.item, world.contributor, note="tekst", title="Notitie")
    client.force_login(world.viewer)
    response = client.get(reverse("evidence:download", args=[world.algorithm.slug, note.pk]))
    assert response.status_code == 404


def test_a_download_post_is_refused(client, world) -> None:
    evidence = file_evidence(world)
    client.force_login(world.viewer)
    response = client.post(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response.status_code == 405


def test_non_ascii_names_are_sent_encoded(client, world) -> None:
    evidence = file_evidence(world, name="één verslag.pdf")
    client.force_login(world.viewer)
    response = client.get(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%C3%A9%C3%A9n%20verslag.pdf" in response["Content-Disposition"]


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
    download = client.get(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert b"".join(download.streaming_content) == samples.PDF
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
