"""The PDF job through the real queue: the view enqueues into django-tasks-db's
DatabaseBackend, nothing runs in the request, and `manage.py db_worker` (as `make run`
starts it) renders the dossier; the status page follows the job to its download.

These tests commit (transactional_db): the worker checks its database connection the
way a separate process does, which a test wrapped in one transaction does not survive.
"""

import io
import uuid

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.world import make_world
from tracker.exports.models import DossierJob

DATABASE = "django_tasks_db.DatabaseBackend"


@pytest.fixture
def queue(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": DATABASE}}


@pytest.fixture
def world(transactional_db, queue):
    return make_world()


def run_worker() -> str:
    """One pass of the worker: run what is queued, then stop (no reloader, no delay)."""
    out = io.StringIO()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=out)
    return out.getvalue()


def _start(client, world) -> tuple[str, str]:
    response = client.post(reverse("exports:pdf", args=[world.algorithm.slug]))
    assert response.status_code == 302
    status_url = response["Location"]
    return status_url, status_url.rstrip("/").rsplit("/", 1)[1]


def test_worker_renders_the_queued_dossier(client, world) -> None:
    client.force_login(world.viewer)
    status_url, job_id = _start(client, world)
    # The request only queued the task: nothing rendered yet.
    assert DossierJob.objects.get(pk=job_id).state == DossierJob.State.QUEUED
    # A second request while it waits joins it: one job, one task.
    assert _start(client, world) == (status_url, job_id)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "tracker.exports.tasks.render_dossier_pdf"
    assert queued.args_kwargs == {"args": [str(uuid.UUID(job_id))], "kwargs": {}}
    page = client.get(status_url, headers={"HX-Request": "true"})
    assert "In de wachtrij" in page.content.decode()
    assert b'hx-trigger="every 2s"' in page.content  # keeps polling while queued

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    job = DossierJob.objects.get(pk=job_id)
    assert job.done
    assert job.heartbeat_at >= job.started_at
    assert queued.return_value == job.pages > 1
    page = client.get(status_url, headers={"HX-Request": "true"})
    assert b"Dossier downloaden (PDF)" in page.content
    assert b"hx-trigger" not in page.content  # done: polling stops
    download = client.get(reverse("exports:pdf_download", args=[world.algorithm.slug, job_id]))
    assert download.status_code == 200
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(pdf.pages) == job.pages
    assert world.algorithm.name in pdf.pages[0].extract_text()


def test_worker_marks_the_job_failed_when_rendering_fails(client, world, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise ValueError("layout failed")

    monkeypatch.setattr("tracker.exports.pdf.dossier_pdf", broken)
    client.force_login(world.viewer)
    status_url, job_id = _start(client, world)

    run_worker()

    assert DBTaskResult.objects.get().status == "FAILED"
    job = DossierJob.objects.get(pk=job_id)
    assert job.state == DossierJob.State.FAILED
    page = client.get(status_url).content.decode()
    assert "Het maken van het dossier is mislukt." in page
    assert "Het dossier kon niet worden gemaakt (ValueError)." in page
    assert "hx-trigger" not in page


def test_the_task_row_a_dead_worker_left_running_is_failed_with_the_job(client, world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tracker.exports import jobs

    client.force_login(world.viewer)
    _, job_id = _start(client, world)
    task = DBTaskResult.objects.get()
    task.claim("a-worker-that-will-die")  # what db_worker does before it runs the task
    jobs.claim(job_id)
    later = timezone.now() + timedelta(seconds=61)
    assert jobs.expire_stale(now=later) == 1
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "tracker.exports.jobs.WorkerLost"
    assert DossierJob.objects.get(pk=job_id).state == DossierJob.State.FAILED


def test_a_pdf_that_cannot_be_stored_fails_the_job(client, world, settings, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the dossier folder should be")
    settings.DOSSIER_ROOT = blocker / "dossiers"
    client.force_login(world.viewer)
    _, job_id = _start(client, world)

    run_worker()

    job = DossierJob.objects.get(pk=job_id)
    assert job.state == DossierJob.State.FAILED
    assert job.message == "Het dossier kon niet worden gemaakt (NotADirectoryError)."
