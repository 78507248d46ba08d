"""Downloads of the audit dossier: PDF, JSON and CSV. Anyone who may read the
algorithm may generate and download them (tracker.access, capability read).

JSON and CSV are made in the request (a second or less, also for large algorithms).
The PDF is a background job (tracker.exports.tasks): a POST starts it, the status
page shows its progress (htmx polls the ``progress`` partial; without JavaScript a
link reloads the page) and offers the download once it is done.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Capability, get_algorithm_for_user
from tracker.exports import jobs
from tracker.exports.csvexport import dossier_csv
from tracker.exports.jsonexport import dossier_json
from tracker.exports.tasks import render_dossier_pdf
from tracker.http import HtmxHttpRequest

STATUS_TEMPLATE = "exports/pdf_status.html"


def generated_by(user) -> str:
    """Who asked for the dossier, as it states on the cover."""
    name = user.get_full_name()
    username = user.get_username()
    return f"{name} ({username})" if name else username


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(algorithm, extension: str) -> str:
    return f"auditdossier-{algorithm.slug}-{timezone.localdate():%Y%m%d}.{extension}"


def _job_of(algorithm, job: uuid.UUID) -> jobs.Job:
    found = jobs.load(job.hex)
    if found is None or found.algorithm_id != algorithm.pk:
        raise Http404("Dossier niet gevonden")
    return found


@login_required
@require_POST
def pdf_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    job = jobs.create(algorithm.pk, generated_by(request.user))
    render_dossier_pdf.enqueue(job.id)
    return redirect("exports:pdf_status", slug=algorithm.slug, job=uuid.UUID(job.id))


@login_required
@require_GET
def pdf_status(request: HtmxHttpRequest, slug: str, job: uuid.UUID) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    context = {"algorithm": algorithm, "access": access, "job": _job_of(algorithm, job)}
    template = f"{STATUS_TEMPLATE}#progress" if request.htmx else STATUS_TEMPLATE
    return render(request, template, context)


@login_required
@require_GET
def pdf_download(request: HtmxHttpRequest, slug: str, job: uuid.UUID) -> HttpResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    found = _job_of(algorithm, job)
    path = jobs.pdf_path(found.id)
    if not found.done or not path.is_file():
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
