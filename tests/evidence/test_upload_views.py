"""Uploading and downloading files over HTTP: the acceptance points of the issue."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.evidence import samples
from tests.evidence.helpers import HTMX, add_url, download, file_evidence, stored_files, upload
from tests.world import make_algorithm, make_checklist_item
from tracker.audit.models import AuditEntry
from tracker.evidence import actions
from tracker.evidence.models import Evidence, EvidenceImmutableError
from tracker.evidence.uploads import path_for

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
    response, content = download(client, world, evidence.pk)
    assert response.status_code == 200
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

    monkeypatch.setattr("tracker.web.evidence.views._add", reads_the_body)
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world.contributor)
    response = upload(client, world, "groot.pdf", samples.PDF + b"0" * 100_000, **HTMX)
    assert response.status_code == 422
    assert "Bestand is groter dan 1 kB." in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


STORAGE_FAILED = "Het bestand kon niet worden opgeslagen: de opslag van de server is vol"


def test_an_unusable_upload_folder_gives_a_message_and_leaves_nothing(
    client, world, settings, tmp_path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    settings.UPLOAD_ROOT = blocker / "uploads"  # mkdir fails (tests run as root: no chmod)
    client.force_login(world.contributor)
    for extra in ({}, HTMX):
        response = upload(client, world, "rapport.pdf", samples.PDF, **extra)
        assert response.status_code == 507
        page = response.content.decode()
        assert STORAGE_FAILED in page
        assert "data-request-error" in page  # what the htmx error handler shows in place
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_full_disk_mid_write_leaves_no_partial_file_and_no_row(
    client, world, settings, monkeypatch
) -> None:
    import errno
    import os

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, chunk):
            self.handle.write(chunk[:10])  # a partial file on disk, then the disk is full
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(
        "tracker.evidence.uploads.os.fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode))
    )
    client.force_login(world.contributor)
    response = upload(client, world, "rapport.pdf", samples.PDF, **HTMX)
    assert response.status_code == 507
    assert STORAGE_FAILED in response.content.decode()
    assert stored_files(settings) == []
    assert list(Path(settings.UPLOAD_ROOT).rglob(".incoming-*")) == []
    assert not Evidence.objects.exists()


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


@pytest.mark.parametrize(
    "file_name",
    ["../../../../evil.pdf", "..\\..\\evil.pdf", "/etc/evil.pdf", "..", "sub/dir/rapport.pdf"],
)
def test_a_path_traversal_file_name_is_refused(client, world, settings, file_name) -> None:
    """Django's parser would cut the name to its last part; we refuse the crafted name."""
    client.force_login(world.contributor)
    target = Path(settings.UPLOAD_ROOT).parent / "evil.pdf"
    body, content_type = samples.multipart(
        {"kind": "file", "title": ""}, "file", file_name, samples.PDF
    )
    response = client.post(add_url(world), body, content_type=content_type)
    assert response.status_code == 422
    assert "bevat een pad" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []
    assert not target.exists()


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
    response, _ = download(client, world, evidence.pk)
    assert response.status_code == status


def test_download_needs_a_login(client, world) -> None:
    evidence = file_evidence(world)
    response, _ = download(client, world, evidence.pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_evidence_of_another_algorithm_is_not_found_through_this_one(client, world) -> None:
    other_world_item = make_checklist_item(make_algorithm())
    evidence = actions.add_file(
        other_world_item, world.contributor, upload=SimpleUploadedFile("x.pdf", samples.PDF)
    )
    client.force_login(world.contributor)
    response, _ = download(client, world, evidence.pk)
    assert response.status_code == 404


def test_a_note_has_no_download(client, world) -> None:
    note = actions.add_note(world.item, world.contributor, note="tekst", title="Notitie")
    client.force_login(world.viewer)
    response, _ = download(client, world, note.pk)
    assert response.status_code == 404


def test_a_download_post_is_refused(client, world) -> None:
    evidence = file_evidence(world)
    client.force_login(world.viewer)
    response = client.post(reverse("evidence:download", args=[world.algorithm.slug, evidence.pk]))
    assert response.status_code == 405


def test_non_ascii_names_are_sent_encoded(client, world) -> None:
    evidence = file_evidence(world, name="één verslag.pdf")
    client.force_login(world.viewer)
    response, _ = download(client, world, evidence.pk)
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%C3%A9%C3%A9n%20verslag.pdf" in response["Content-Disposition"]
