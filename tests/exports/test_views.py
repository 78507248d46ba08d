"""The download views: who may, what comes back, and the PDF job with its progress."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.world import add_member, make_algorithm, make_world
from tests.world_dossier import make_dossier_job
from tracker.exports import jobs
from tracker.exports.models import STEP_LABEL, DossierJob, lease


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
    job = DossierJob.objects.get(pk=job_id)
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
    return make_dossier_job(make_algorithm(), state="done").pk


@pytest.fixture
def queued(settings) -> None:
    """Jobs stay queued: the DummyBackend never runs a task (Django resets its task
    backends when TASKS changes)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_unfinished_job_shows_progress_and_polls(client, world, queued) -> None:
    client.force_login(world.contributor)
    status_url = _start(client, world)["Location"]
    job_id = status_url.rstrip("/").rsplit("/", 1)[1]
    assert DossierJob.objects.get(pk=job_id).state == DossierJob.State.QUEUED
    jobs.claim(job_id)
    jobs.report(job_id, 1, STEP_LABEL, 0)
    page = client.get(status_url)
    assert b'hx-trigger="every 2s"' in page.content
    assert "Stap 1 van 2: gegevens verzamelen en opmaken" in page.content.decode()
    assert b'<progress id="dossier-progress-bar" max="2" value="1">' in page.content
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="dossier-progress"')
    assert b"<html" not in partial.content
    download = client.get(reverse("exports:pdf_download", args=[world.algorithm.slug, job_id]))
    assert download.status_code == 302  # not ready yet: back to the status page
    assert download["Location"] == status_url


def test_failed_job_says_so_and_offers_a_retry(client, world) -> None:
    job = make_dossier_job(world.algorithm, state="failed")
    client.force_login(world.viewer)
    for headers in ({}, {"HX-Request": "true"}):  # the page, and the partial htmx polls
        page = client.get(
            reverse("exports:pdf_status", args=[world.algorithm.slug, job.pk]), headers=headers
        ).content.decode()
        assert "Het maken van het dossier is mislukt." in page
        assert "hx-trigger" not in page
        assert f'action="{reverse("exports:pdf", args=[world.algorithm.slug])}"' in page
        assert "Opnieuw maken" in page
    response = _start(client, world)  # the retry: a new job
    assert response.status_code == 302
    assert str(job.pk) not in response["Location"]
    assert DossierJob.objects.filter(algorithm=world.algorithm).count() == 2


def test_a_second_request_joins_the_queued_job(client, world, queued) -> None:
    client.force_login(world.viewer)
    first = _start(client, world)["Location"]
    client.force_login(world.contributor)
    second = _start(client, world)
    assert second["Location"] == first
    assert DossierJob.objects.filter(algorithm=world.algorithm).count() == 1
    page = client.get(first).content.decode()
    assert "Er wordt al een dossier van dit algoritme gemaakt; u volgt die opdracht." in page
    assert "Opnieuw maken" not in page  # nothing to retry while it waits its turn
    other = make_algorithm(world.algorithm.organisation)
    add_member(other, world.contributor, "viewer")
    response = client.post(reverse("exports:pdf", args=[other.slug]))
    assert response["Location"] != first  # another algorithm: a job of its own
    assert DossierJob.objects.active().count() == 2


def test_a_job_stuck_in_the_queue_can_be_replaced(client, world, queued) -> None:
    client.force_login(world.viewer)
    status_url = _start(client, world)["Location"]
    job = DossierJob.objects.get()
    DossierJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at - 6 * lease()  # longer than the queue's patience
    )
    page = client.get(status_url).content.decode()
    assert "In de wachtrij" in page
    assert "staat al lang in de wachtrij" in page
    assert f'name="replace" value="{job.pk}"' in page
    response = client.post(
        reverse("exports:pdf", args=[world.algorithm.slug]), {"replace": str(job.pk)}
    )
    job.refresh_from_db()
    assert job.state == DossierJob.State.FAILED
    assert "te lang in de wachtrij" in job.message
    fresh = DossierJob.objects.active().get()
    assert response["Location"].endswith(f"/{fresh.pk}/")


def test_a_running_job_without_heartbeat_fails_on_the_status_page(client, world, queued):
    client.force_login(world.viewer)
    status_url = _start(client, world)["Location"]
    job = DossierJob.objects.get()
    jobs.claim(job.pk)
    assert b"Stap 1 van 2" in client.get(status_url).content  # alive: still running
    DossierJob.objects.filter(pk=job.pk).update(
        heartbeat_at=job.created_at - lease() - timedelta(seconds=1)
    )
    partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Het maken van het dossier is mislukt." in partial
    assert "gestopt voordat het klaar was" in partial
    assert "hx-trigger" not in partial  # final: polling stops
    assert "Opnieuw maken" in partial


def test_algorithm_page_offers_the_dossier(client, world) -> None:
    client.force_login(world.portfolio)
    page = client.get(reverse("algorithms:detail", args=[world.algorithm.slug])).content.decode()
    assert f'action="{reverse("exports:pdf", args=[world.algorithm.slug])}"' in page
    assert reverse("exports:json", args=[world.algorithm.slug]) in page
    assert reverse("exports:csv", args=[world.algorithm.slug]) in page
