"""A real `manage.py db_worker` killed with SIGKILL in the middle of a rendering: the job
is failed once its lease runs out (here 3 s instead of 60 s), the status page offers the
retry, and a restarted worker makes the new job.

Everything runs in subprocesses on a SQLite file of its own (the test database of the
run is in memory or inside a test transaction, which another process cannot see), so
it runs once, on the SQLite leg.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
LEASE = 3

SETUP = """
from tests.world import make_world
from tracker.exports import jobs
from tracker.exports.tasks import render_dossier_pdf
world = make_world()
job, created = jobs.request_job(world.algorithm, "test")
render_dossier_pdf.enqueue(str(job.pk))
print(job.pk.hex)
"""
EXPIRE = """
from tracker.exports import jobs
jobs.expire_stale()
"""
RETRY = """
from tracker.algorithms.models import Algorithm
from tracker.exports import jobs
from tracker.exports.tasks import render_dossier_pdf
job, created = jobs.request_job(Algorithm.objects.get(), "test")
assert created, "the failed job must not block a new one"
render_dossier_pdf.enqueue(str(job.pk))
print(job.pk.hex)
"""

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="runs once, on the SQLite leg (own SQLite file)"
)


def _env(tmp_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND"}}
    return keep | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALGOKADER_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": "database",
        "DEBUG": "true",
        "DOSSIER_JOB_LEASE_SECONDS": str(LEASE),
        "DOSSIER_JOB_HEARTBEAT_SECONDS": "1",
    }


def _manage(env, *args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def _job(db: Path, job_hex: str) -> tuple[str, str]:
    with sqlite3.connect(db, timeout=10) as conn:
        row = conn.execute(
            "SELECT state, message FROM tracker_dossierjob WHERE replace(id, '-', '') = ?",
            (job_hex,),
        ).fetchone()
    return row


def _wait_for(predicate, timeout: float, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def test_a_killed_worker_fails_the_job_within_the_lease_and_a_retry_renders(tmp_path) -> None:
    env = _env(tmp_path)
    db = tmp_path / "db.sqlite3"
    _manage(env, "migrate", "--no-input", "-v0")
    job_hex = _manage(env, "shell", "-c", SETUP).splitlines()[-1]
    assert _job(db, job_hex)[0] == "queued"

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        running = _wait_for(lambda: _job(db, job_hex)[0] == "running", timeout=120)
        assert running, f"the worker never started the job: {_job(db, job_hex)}"
        os.kill(worker.pid, signal.SIGKILL)  # mid-render: the renderer is still importing
        killed_at = time.monotonic()
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
    assert _job(db, job_hex)[0] == "running"  # nobody finished or failed it

    # The status page runs this check on every poll; once the lease is over it fails.
    def failed():
        _manage(env, "shell", "-c", EXPIRE)
        return _job(db, job_hex)[0] == "failed"

    assert _wait_for(failed, timeout=LEASE + 60, step=0.5)
    assert time.monotonic() - killed_at >= LEASE - 1  # not before the lease ran out
    assert "gestopt voordat het klaar was" in _job(db, job_hex)[1]
    with sqlite3.connect(db, timeout=10) as conn:  # the task row the worker left RUNNING
        statuses = [
            row[0] for row in conn.execute("SELECT status FROM django_tasks_database_dbtaskresult")
        ]
    assert statuses == ["FAILED"]

    # Retry, and a restarted worker (one batch) makes the new job.
    retry_hex = _manage(env, "shell", "-c", RETRY).splitlines()[-1]
    assert retry_hex != job_hex
    _manage(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert _job(db, retry_hex)[0] == "done"
    assert (tmp_path / "dossiers" / f"{retry_hex}.pdf").read_bytes().startswith(b"%PDF-")
