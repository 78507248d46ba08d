"""PDF dossier jobs: the state of a background generation, kept as files.

A job is a small JSON status file ``<id>.json`` and, once done, the PDF ``<id>.pdf``
in a private folder (``settings.EXPORT_ROOT``; default ``dossiers/`` beside
``UPLOAD_ROOT``, so ``var/dossiers``), never served as static files: only the
download view reads it, after an access check.
Status files are replaced atomically (write, then rename), so a reader never sees half
a file. Jobs older than ``MAX_AGE`` are removed when a new job starts.

A job belongs to an algorithm, not to a user: every reader of the algorithm may follow
and download it (they may generate the same dossier themselves).
"""

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 3600  # seconds
STEPS = 7  # WeasyPrint's progress steps, see progress.py


class State:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    id: str
    algorithm_id: int
    generated_by: str
    state: str = State.QUEUED
    step: int = 0
    step_label: str = ""
    page: int = 0
    pages: int = 0
    size: int = 0
    message: str = ""
    created_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)

    @property
    def done(self) -> bool:
        return self.state == State.DONE


def root() -> Path:
    default = Path(settings.UPLOAD_ROOT).parent / "dossiers"  # beside the private uploads
    folder = Path(getattr(settings, "EXPORT_ROOT", default))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _status_path(job_id: str) -> Path:
    return root() / f"{uuid.UUID(job_id).hex}.json"


def pdf_path(job_id: str) -> Path:
    return root() / f"{uuid.UUID(job_id).hex}.pdf"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save(job: Job) -> Job:
    _write_atomic(_status_path(job.id), json.dumps(asdict(job)).encode())
    return job


def load(job_id: str) -> Job | None:
    try:
        data = json.loads(_status_path(job_id).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Job(**data)


def create(algorithm_id: int, generated_by: str) -> Job:
    sweep()
    return save(Job(id=str(uuid.uuid4()), algorithm_id=algorithm_id, generated_by=generated_by))


def update(job_id: str, **changes) -> Job | None:
    job = load(job_id)
    if job is None:
        return None
    for name, value in changes.items():
        setattr(job, name, value)
    return save(job)


def finish(job_id: str, content: bytes, pages: int) -> Job | None:
    _write_atomic(pdf_path(job_id), content)
    return update(
        job_id,
        state=State.DONE,
        step=STEPS,
        pages=pages,
        size=len(content),
        finished_at=time.time(),
    )


def fail(job_id: str, message: str) -> Job | None:
    return update(job_id, state=State.FAILED, message=message, finished_at=time.time())


def sweep(now: float | None = None) -> int:
    """Remove jobs (status and PDF) older than MAX_AGE; returns how many files went."""
    now = now or time.time()
    removed = 0
    for path in root().glob("*"):
        if path.suffix in (".json", ".pdf", ".tmp") and now - path.stat().st_mtime > MAX_AGE:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
