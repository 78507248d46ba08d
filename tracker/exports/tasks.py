"""The PDF dossier as a background task (Django's tasks framework, django.tasks).

Rendering the PDF of a large algorithm takes longer than a web request should (see
README.md: 30-50 s wall, 17 s CPU, for 200 items and 500 evidence entries on this machine), so
the download view starts a job and this task renders it, writing progress to the job
(tracker.exports.jobs) for the status page to show.

Which backend runs it is a setting (``TASKS``). Django ships only the ImmediateBackend
(runs the task at once, inside the request that enqueues it) and the DummyBackend
(never runs it); a backend with a real queue and worker, e.g. the DatabaseBackend of
the django-tasks-db package, moves the work off the web worker without code changes here.
"""

import logging

from django.tasks import task

from tracker.algorithms.models import Algorithm
from tracker.exports import jobs
from tracker.exports.pdf import dossier_pdf
from tracker.exports.progress import report_progress

logger = logging.getLogger(__name__)


@task
def render_dossier_pdf(job_id: str) -> int:
    """Render the job's dossier; returns the number of pages."""
    job = jobs.load(job_id)
    if job is None:
        raise LookupError(f"dossier job {job_id} not found (removed?)")
    jobs.update(job_id, state=jobs.State.RUNNING)
    try:
        algorithm = Algorithm.objects.select_related("organisation", "release").get(
            pk=job.algorithm_id
        )

        def progress(step: int, label: str, page: int) -> None:
            jobs.update(job_id, step=step, step_label=label, page=page)

        with report_progress(progress):
            rendered = dossier_pdf(algorithm, generated_by=job.generated_by)
    except Exception as error:
        logger.exception("dossier job %s failed", job_id)
        jobs.fail(job_id, f"Het dossier kon niet worden gemaakt ({type(error).__name__}).")
        raise
    jobs.finish(job_id, rendered.content, rendered.pages)
    return rendered.pages
