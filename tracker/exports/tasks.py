"""The PDF dossier as a background task (Django's tasks framework, django.tasks).

Rendering the PDF of a large algorithm takes longer than a web request should (see
README.md: about 11 s of CPU for 200 items and 500 evidence entries on this machine, more
wall time when it is busy), so the download view requests a job and this task renders
it, writing progress to the job (tracker.exports.jobs) for the status page to show.

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
            # The renderer takes seconds to import: only the process that renders pays
            # for it, not every web process that merely enqueues jobs.
            from tracker.exports import pdf
            from tracker.exports.progress import report_progress

            def progress(step: int, label: str, page: int) -> None:
                jobs.report(job.pk, step, label, page)

            with report_progress(progress):
                rendered = pdf.dossier_pdf(job.algorithm, generated_by=job.generated_by)
        jobs.finish(job.pk, rendered.content, rendered.pages)  # a full disk fails it too
    except Exception as error:
        logger.exception("dossier job %s failed", job_id)
        jobs.fail(job.pk, f"Het dossier kon niet worden gemaakt ({type(error).__name__}).")
        raise
    return rendered.pages
