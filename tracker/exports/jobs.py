"""PDF dossier jobs: requesting, claiming, heartbeats, progress, the end of a job.

The state lives in ``DossierJob`` (tracker.exports.models); every change is a
conditional UPDATE on its state, so the web process (which may expire a job whose
worker died) and the worker (which may finish late) never overwrite each other's
decision. The PDF itself is written atomically (write, then rename) to
``settings.DOSSIER_ROOT``, a private folder that only the download view reads.
"""

import logging
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from tracker.exports.models import MAX_AGE, STEPS, DossierJob

logger = logging.getLogger(__name__)
State = DossierJob.State

LOST_WORKER = "Het achtergrondproces dat het dossier maakte, is gestopt voordat het klaar was."
REPLACED = "Vervangen door een nieuwe opdracht, omdat deze te lang in de wachtrij stond."


def root() -> Path:
    folder = Path(settings.DOSSIER_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pdf_path(job_id: uuid.UUID | str) -> Path:
    return root() / f"{uuid.UUID(str(job_id)).hex}.pdf"


# -- the web side ------------------------------------------------------------------


class WorkerLost(Exception):
    """The worker running a dossier task stopped without finishing it."""


TASK_PATH = "tracker.exports.tasks.render_dossier_pdf"


def expire_stale(now=None) -> int:
    """Mark running jobs without a heartbeat within the lease as failed; how many.

    Their task rows (django-tasks-db), which the dead worker left RUNNING for ever, are
    marked failed too, so the task list shows what happened."""
    now = now or timezone.now()
    stale = list(DossierJob.objects.stale(now).values_list("pk", flat=True))
    if not stale:
        return 0
    expired = (
        DossierJob.objects.stale(now)
        .filter(pk__in=stale)
        .update(state=State.FAILED, message=LOST_WORKER, finished_at=now)
    )
    _fail_orphaned_tasks(stale, now)
    return expired


def _fail_orphaned_tasks(job_ids, now) -> None:
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status="RUNNING", task_path=TASK_PATH)
    for job_id in job_ids:
        running.filter(args_kwargs__args__0=str(job_id)).update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
            traceback=f"{LOST_WORKER} (no heartbeat within the lease)",
        )


def request_job(algorithm, generated_by: str, *, replace=None) -> tuple[DossierJob, bool]:
    """The algorithm's queued or running job, or a new one: (job, created).

    ``replace`` is the id of a job the user asked to make again; a queued job that
    waited too long is set aside (failed) so a new one can start."""
    expire_stale()
    sweep()
    if replace is not None:
        stuck = DossierJob.objects.filter(pk=replace, algorithm=algorithm).first()
        if stuck is not None and stuck.waiting_too_long():
            DossierJob.objects.filter(pk=stuck.pk, state=State.QUEUED).update(
                state=State.FAILED, message=REPLACED, finished_at=timezone.now()
            )
    active = DossierJob.objects.active().filter(algorithm=algorithm).first()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            job = DossierJob.objects.create(algorithm=algorithm, generated_by=generated_by)
    except IntegrityError:
        # A concurrent request created it between our look and our insert: join it.
        return DossierJob.objects.active().get(algorithm=algorithm), False
    return job, True


# -- the worker side ---------------------------------------------------------------


def claim(job_id) -> DossierJob | None:
    """Move a queued job to running (once); None when it is no longer queued."""
    now = timezone.now()
    claimed = DossierJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, step=1, started_at=now, heartbeat_at=now
    )
    return DossierJob.objects.select_related("algorithm").get(pk=job_id) if claimed else None


def beat(job_id) -> bool:
    """Renew the lease of a running job; False when it is no longer running."""
    return bool(
        DossierJob.objects.filter(pk=job_id, state=State.RUNNING).update(
            heartbeat_at=timezone.now()
        )
    )


def report(job_id, step: int, label: str, page: int) -> None:
    """Progress of a running job; never backwards (an older report is ignored)."""
    ahead = Q(step__lt=step) | Q(step=step, page__lte=page)
    DossierJob.objects.filter(ahead, pk=job_id, state=State.RUNNING).update(
        step=step, step_label=label[:100], page=page, heartbeat_at=timezone.now()
    )


def finish(job_id, content: bytes, pages: int) -> bool:
    """Store the PDF and mark the job done. Also a job the web side gave up on meanwhile
    (its worker was only slow): the PDF is there, so it is done after all."""
    path = pdf_path(job_id)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return bool(
        DossierJob.objects.filter(pk=job_id, state__in=(State.RUNNING, State.FAILED)).update(
            state=State.DONE,
            step=STEPS,
            pages=pages,
            size=len(content),
            message="",
            finished_at=timezone.now(),
        )
    )


def abandon(job_id, message: str) -> bool:
    """Give up a job that is still queued (it could not be handed to the queue)."""
    return bool(
        DossierJob.objects.filter(pk=job_id, state=State.QUEUED).update(
            state=State.FAILED, message=message[:500], finished_at=timezone.now()
        )
    )


def fail(job_id, message: str) -> bool:
    return bool(
        DossierJob.objects.filter(pk=job_id, state=State.RUNNING).update(
            state=State.FAILED, message=message[:500], finished_at=timezone.now()
        )
    )


@contextmanager
def heartbeat(job_id, interval: float | None = None) -> Iterator[None]:
    """Renew the job's lease from a thread of its own while the body renders, also
    when the renderer reports no progress for a long time."""
    interval = interval or settings.DOSSIER_JOB_HEARTBEAT_SECONDS
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(interval):
                try:
                    if not beat(job_id):
                        return
                except DatabaseError:
                    logger.warning("heartbeat of dossier job %s not written", job_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"dossier-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def sweep(now=None) -> int:
    """Remove PDFs of jobs that finished more than MAX_AGE ago; how many went."""
    now = now or timezone.now()
    removed = 0
    old = DossierJob.objects.filter(state=State.DONE, finished_at__lt=now - MAX_AGE, size__gt=0)
    for job_id in old.values_list("pk", flat=True):
        pdf_path(job_id).unlink(missing_ok=True)
        removed += 1
    old.update(size=0)
    return removed
