"""The PDF dossier as a background task (Django's tasks framework, django.tasks).

Typst renders a dossier of 200 items and 500 evidence entries in about a second of CPU
(README.md), but a very large algorithm, or a busy machine, still takes longer than a web
request should hold a worker, so the download view starts a job and this task renders it,
writing its state to the job (tracker.exports.jobs) for the status page to show.

Which backend runs it is the ``TASKS_BACKEND`` setting: ``database`` (django-tasks-db's
DatabaseBackend) queues it for ``manage.py db_worker``, a process of its own that
``make run`` starts beside runserver; ``immediate`` runs it inside the request that
enqueues it (tests, a bare runserver).

While it renders, a heartbeat thread renews the job's lease; when the worker dies (a
kill, a crash, a restart), the lease runs out and the status page marks the job failed
with a retry (tracker.exports.models).
"""

import logging

from django.tasks import task

from tracker.exports import jobs
from tracker.exports.models import STEP_LABEL

logger = logging.getLogger(__name__)


@task
def render_dossier_pdf(job_id: str) -> int:
    """Render the job's dossier; returns the number of pages (0: nothing to do)."""
    job = jobs.claim(job_id)
    if job is None:
        logger.info("dossier job %s is no longer queued; skipped", job_id)
        return 0
    try:
        with jobs.heartbeat(job.pk):
            from tracker.exports import pdf

            jobs.report(job.pk, 1, STEP_LABEL, 0)
            rendered = pdf.dossier_pdf(job.algorithm, generated_by=job.generated_by)
        jobs.finish(job.pk, rendered.content, rendered.pages)  # a full disk fails it too
    except Exception as error:
        logger.exception("dossier job %s failed", job_id)
        jobs.fail(job.pk, f"Het dossier kon niet worden gemaakt ({type(error).__name__}).")
        raise
    return rendered.pages
