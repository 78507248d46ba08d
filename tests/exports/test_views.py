"""The download views: who may, what comes back, and the PDF job with its progress."""

import json
import uuid

import pytest
from django.urls import reverse

from tests.world import make_world
from tracker.exports import jobs


@pytest.fixture
def world(db):
    return make_world()


def _start(client, world):
    return client.post(reverse("exports:pdf", args=[world.algorithm.slug]))


def test_pdf_job_runs_and_downloads(client, world) -> None:
    client.force_login(world.viewer)
    response = _start(client, world)
    assert response.status_code == 302
    status_url = response["Location"]
    job_id = status_url.rstrip("/").rsplit("/", 1)[1]
    job = jobs.load(job_id)
    assert job.done  # the ImmediateBackend ran the task inside the request
    assert job.generated_by == "viewer"
    page = client.get(status_url)
    assert page.status_code == 200
    assert b"Dossier downloaden (PDF)" in page.content
    assert b"hx-trigger" not in page.content  # finished: no more polling
    download = client.get(reverse("exports:pdf_download", args=[world.algorithm.slug, job_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("user", ["viewer", "portfolio", "approver"])
def test_readers_get_json_and_csv(client, world, user) -> None:
    client.force_login(world.users[user])
    response = client.get(reverse("exports:json", args=[world.algorithm.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content)["algorithm"]["slug"] == world.algorithm.slug
    response = client.get(reverse("exports:csv", args=[world.algorithm.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')


def test_refused_users(client, world) -> None:
    slug = world.algorithm.slug
    for name in ("exports:json", "exports:csv"):
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert _start(client, world)["Location"].startswith(reverse("login"))
    client.force_login(world.outsider)
    assert client.get(reverse("exports:json", args=[slug])).status_code == 404
    assert _start(client, world).status_code == 404
    assert client.get(reverse("exports:pdf", args=[slug])).status_code == 405  # POST only


def test_job_of_another_algorithm_is_not_found(client, world) -> None:
    other = make_world_algorithm_job()
    client.force_login(world.viewer)
    for name in ("exports:pdf_status", "exports:pdf_download"):
        response = client.get(reverse(name, args=[world.algorithm.slug, other]))
        assert response.status_code == 404
    missing = uuid.uuid4()
    assert (
        client.get(reverse("exports:pdf_status", args=[world.algorithm.slug, missing])).status_code
        == 404
    )


def make_world_algorithm_job() -> uuid.UUID:
    from tests.world import make_algorithm

    job = jobs.create(make_algorithm().pk, "someone")
    jobs.finish(job.id, b"%PDF-1.7\n", pages=1)
    return uuid.UUID(job.id)


@pytest.fixture
def queued(settings) -> None:
    """Jobs stay queued: the DummyBackend never runs a task (Django resets its task
    backends when TASKS changes)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_unfinished_job_shows_progress_and_polls(client, world, queued) -> None:
    client.force_login(world.contributor)
    status_url = _start(client, world)["Location"]
    job_id = status_url.rstrip("/").rsplit("/", 1)[1]
    assert jobs.load(job_id).state == jobs.State.QUEUED
    jobs.update(job_id, state=jobs.State.RUNNING, step=5, step_label="pagina's opmaken", page=42)
    page = client.get(status_url)
    assert b'hx-trigger="every 2s"' in page.content
    assert "Stap 5 van 7: pagina&#x27;s opmaken (pagina 42)" in page.content.decode()
    assert b'<progress id="dossier-progress-bar" max="7" value="5">' in page.content
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="dossier-progress"')
    assert b"<html" not in partial.content
    download = client.get(reverse("exports:pdf_download", args=[world.algorithm.slug, job_id]))
    assert download.status_code == 302  # not ready yet: back to the status page
    assert download["Location"] == status_url


def test_failed_job_says_so(client, world) -> None:
    job = jobs.create(world.algorithm.pk, "x")
    jobs.fail(job.id, "Het dossier kon niet worden gemaakt (ValueError).")
    client.force_login(world.viewer)
    page = client.get(reverse("exports:pdf_status", args=[world.algorithm.slug, job.id]))
    assert b"Het maken van het dossier is mislukt." in page.content
    assert b"hx-trigger" not in page.content


def test_algorithm_page_offers_the_dossier(client, world) -> None:
    client.force_login(world.portfolio)
    page = client.get(reverse("algorithms:detail", args=[world.algorithm.slug])).content.decode()
    assert f'action="{reverse("exports:pdf", args=[world.algorithm.slug])}"' in page
    assert reverse("exports:json", args=[world.algorithm.slug]) in page
    assert reverse("exports:csv", args=[world.algorithm.slug]) in page
