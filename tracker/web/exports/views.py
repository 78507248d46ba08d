"""Downloads of the audit dossier: PDF, JSON and CSV. Anyone who may read the
algorithm may generate and download them (tracker.access, capability read).

JSON and CSV are made in the request (a second or less, also for large algorithms).
The PDF is a background job (tracker.exports.tasks): a POST requests it (or joins the
algorithm's job that is already queued or running), the status page shows its progress
(htmx polls the ``progress`` partial until the job is done or failed; without JavaScript
a link reloads the page) and offers the download once it is done, or a retry.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Capability, get_algorithm_for_user
from tracker.accounts.names import display_name
from tracker.exports import jobs
from tracker.exports.csvexport import dossier_csv
from tracker.exports.jsonexport import dossier_json
from tracker.exports.models import DossierJob
from tracker.exports.tasks import render_dossier_pdf
from tracker.http import HtmxHttpRequest

STATUS_TEMPLATE = "exports/pdf_status.html"


def generated_by(user) -> str:
    """Who asked for the dossier, as it states on the cover: the name (the login name
    only for a user without one)."""
    return display_name(user)


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(algorithm, extension: str) -> str:
    return f"auditdossier-{algorithm.slug}-{timezone.localdate():%Y%m%d}.{extension}"


def _job_of(algorithm, job: uuid.UUID) -> DossierJob:
    found = DossierJob.objects.filter(pk=job, algorithm=algorithm).first()
    if found is None:
        raise Http404("Dossier niet gevonden")
    return found


def _replace_id(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("replace", ""))
    except ValueError:
        return None


@login_required
@require_POST
def pdf_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    job, created = jobs.request_job(
        algorithm, generated_by(request.user), replace=_replace_id(request)
    )
    if created:
        try:
            render_dossier_pdf.enqueue(str(job.pk))
        except Exception:
            # Never leave a queued job that no worker will ever see (it would block
            # every later request for this algorithm).
            jobs.abandon(job.pk, "De opdracht kon niet in de wachtrij worden gezet.")
            raise
    else:
        messages.info(
            request, "Er wordt al een dossier van dit algoritme gemaakt; u volgt die opdracht."
        )
    return redirect("exports:pdf_status", slug=algorithm.slug, job=job.pk)


@login_required
@require_GET
def pdf_status(request: HtmxHttpRequest, slug: str, job: uuid.UUID) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    found = _job_of(algorithm, job)
    if found.state == DossierJob.State.RUNNING and jobs.expire_stale():
        found.refresh_from_db()
    context = {"algorithm": algorithm, "access": access, "job": found}
    template = f"{STATUS_TEMPLATE}#progress" if request.htmx else STATUS_TEMPLATE
    return render(request, template, context)


@login_required
@require_GET
def pdf_download(request: HtmxHttpRequest, slug: str, job: uuid.UUID) -> HttpResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    found = _job_of(algorithm, job)
    path = jobs.pdf_path(found.pk)
    if not found.done or found.expired() or not path.is_file():
        return redirect("exports:pdf_status", slug=algorithm.slug, job=job)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=_filename(algorithm, "pdf"),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def json(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    content = dossier_json(algorithm, generated_by=generated_by(request.user))
    return _download(content, "application/json; charset=utf-8", _filename(algorithm, "json"))


@login_required
@require_GET
def csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    content = dossier_csv(algorithm, generated_by=generated_by(request.user))
    return _download(content, "text/csv; charset=utf-8", _filename(algorithm, "csv"))
