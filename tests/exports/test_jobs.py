"""Dossier jobs in the database: one active job per algorithm, claims, heartbeats,
progress that never runs backwards, and the lease."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.world import make_algorithm
from tests.world_dossier import make_dossier_job
from tracker.exports import jobs
from tracker.exports.models import DossierJob

State = DossierJob.State


@pytest.fixture
def algorithm(db):
    return make_algorithm()


def test_one_queued_or_running_job_per_algorithm(algorithm) -> None:
    job, created = jobs.request_job(algorithm, "anna")
    assert created
    again, created = jobs.request_job(algorithm, "bert")
    assert (again, created) == (job, False)
    with pytest.raises(IntegrityError), transaction.atomic():  # the constraint itself
        DossierJob.objects.create(algorithm=algorithm, generated_by="direct")
    jobs.claim(job.pk)
    assert jobs.request_job(algorithm, "bert") == (job, False)  # running: still joined
    jobs.finish(job.pk, b"%PDF-1.7\n", pages=1)
    fresh, created = jobs.request_job(algorithm, "bert")
    assert created
    assert fresh != job
    assert jobs.request_job(make_algorithm(), "anna")[1]  # other algorithms are independent


def test_a_job_is_claimed_once(algorithm) -> None:
    job = make_dossier_job(algorithm)
    assert jobs.claim(job.pk).state == State.RUNNING
    assert jobs.claim(job.pk) is None  # a second delivery of the task does nothing


def test_progress_never_runs_backwards(algorithm) -> None:
    job = make_dossier_job(algorithm, state="running")
    jobs.report(job.pk, 5, "pagina's opmaken", 12)
    jobs.report(job.pk, 5, "pagina's opmaken", 9)  # a late report of an earlier page
    jobs.report(job.pk, 3, "opmaak toepassen", 0)
    job.refresh_from_db()
    assert (job.step, job.page) == (5, 12)
    jobs.report(job.pk, 6, "PDF maken", 0)
    job.refresh_from_db()
    assert (job.step, job.step_label) == (6, "PDF maken")


def test_a_running_job_without_heartbeat_is_failed_after_the_lease(algorithm, settings) -> None:
    settings.DOSSIER_JOB_LEASE_SECONDS = 60
    job = make_dossier_job(algorithm, state="running")
    started = job.heartbeat_at
    assert jobs.expire_stale(now=started + timedelta(seconds=59)) == 0
    assert jobs.beat(job.pk)
    job.refresh_from_db()
    assert job.heartbeat_at > started
    assert jobs.expire_stale(now=job.heartbeat_at + timedelta(seconds=61)) == 1
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.message == jobs.LOST_WORKER
    assert job.retry_offered
    assert not jobs.beat(job.pk)  # a worker that wakes up learns it lost the job
    assert jobs.request_job(algorithm, "anna")[1]  # and a new job may start


def test_a_slow_worker_that_finishes_after_its_lease_still_delivers(algorithm) -> None:
    job = make_dossier_job(algorithm, state="running")
    jobs.expire_stale(now=timezone.now() + timedelta(hours=1))
    assert jobs.finish(job.pk, b"%PDF-1.7\n", pages=3)
    job.refresh_from_db()
    assert (job.state, job.pages, job.message) == (State.DONE, 3, "")


def test_the_heartbeat_thread_renews_the_lease(algorithm, transactional_db) -> None:
    job = make_dossier_job(algorithm, state="running")
    DossierJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with jobs.heartbeat(job.pk, interval=0.05):
        for _ in range(100):
            job.refresh_from_db()
            if timezone.now() - job.heartbeat_at < timedelta(minutes=1):
                break
            threading.Event().wait(0.05)
    assert timezone.now() - job.heartbeat_at < timedelta(minutes=1)


def test_old_pdfs_are_swept(algorithm) -> None:
    job = make_dossier_job(algorithm, state="done")
    assert jobs.pdf_path(job.pk).read_bytes() == b"%PDF-1.7\n%%EOF\n"
    assert jobs.sweep() == 0
    later = job.finished_at + timedelta(hours=25)
    assert jobs.sweep(now=later) == 1
    assert not jobs.pdf_path(job.pk).exists()
    job.refresh_from_db()
    assert job.expired(now=later)
    assert job.retry_offered
