"""Evidence on a checklist item: add (file, link, note), download, withdraw.

Every view resolves the algorithm and the user's capability first, then fetches the
item or evidence scoped to that algorithm. With htmx the evidence section is swapped
in place; without JavaScript the view redirects back to the item page with a message.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Access, Capability, get_algorithm_for_user
from tracker.algorithms.models import Algorithm
from tracker.checklist.models import ChecklistItem
from tracker.evidence import actions, uploads
from tracker.evidence.filenames import path_refusal, record_raw_file_names
from tracker.evidence.forms import EvidenceForm, WithdrawForm
from tracker.evidence.models import Evidence
from tracker.http import HtmxHttpRequest

logger = logging.getLogger(__name__)

TEMPLATE = "evidence/section.html"
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _item(algorithm: Algorithm, pk: int) -> ChecklistItem:
    return get_object_or_404(algorithm.items.select_related("algorithm", "catalog_item"), pk=pk)


def _section(
    request: HtmxHttpRequest,
    item: ChecklistItem,
    access: Access,
    *,
    status: int = 200,
    **extra,
) -> TemplateResponse:
    context = {
        "item": item,
        "access": access,
        "evidence": list(item.evidence.with_people()),
        "evidence_form": EvidenceForm() if access.edit else None,
        **extra,
    }
    template = f"{TEMPLATE}#evidence" if request.htmx else TEMPLATE
    return TemplateResponse(request, template, context, status=status)


def _done(request: HtmxHttpRequest, algorithm: Algorithm, item_pk: int, access: Access, notice):
    """After a change: the refreshed section (htmx) or a redirect with a message."""
    if request.htmx:
        return _section(request, _item(algorithm, item_pk), access, notice=notice)
    messages.success(request, notice)
    return redirect("checklist:item", algorithm.slug, item_pk)


@csrf_exempt  # the CSRF check runs in _add, after the size check on the unread body
@login_required
@require_POST
def add(request: HtmxHttpRequest, slug: str, item_pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    item = _item(algorithm, item_pk)
    if uploads.declared_too_large(request.META.get("CONTENT_LENGTH")):
        # 422 like every other refused upload: the htmx config swaps 400/409/422 only.
        return _section(request, item, access, status=422, error=uploads.too_large_message())
    record_raw_file_names(request)
    return _add(request, algorithm, access, item)


@csrf_protect
def _add(
    request: HtmxHttpRequest, algorithm: Algorithm, access: Access, item: ChecklistItem
) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    refusal = path_refusal(request)
    if refusal:
        return _section(request, item, access, status=422, error=refusal)
    if not form.is_valid():
        return _section(request, item, access, status=422, evidence_form=form)
    data = form.cleaned_data
    if data["kind"] == Evidence.Kind.FILE:
        try:
            actions.add_file(item, request.user, upload=data["file"], title=data["title"])
        except uploads.UploadStorageError as failure:
            # A server-side failure, not the user's: 507, so htmx keeps the form as it is
            # (with the chosen file) and shows this message beside it.
            return _section(request, item, access, status=507, error=str(failure))
        except uploads.UploadRefused as refusal:
            form.add_error("file", str(refusal))
            return _section(request, item, access, status=422, evidence_form=form)
    elif data["kind"] == Evidence.Kind.URL:
        actions.add_url(item, request.user, url=data["url"], title=data["title"])
    else:
        actions.add_note(item, request.user, note=data["note"], title=data["title"])
    return _done(request, algorithm, item.pk, access, "Bewijs toegevoegd.")


@never_cache
@login_required
@require_GET
def download(request: HtmxHttpRequest, slug: str, pk: int) -> FileResponse:
    algorithm, _ = get_algorithm_for_user(request.user, slug, Capability.READ)
    evidence = get_object_or_404(
        Evidence.objects.for_algorithm(algorithm).filter(kind=Evidence.Kind.FILE), pk=pk
    )
    try:
        handle = uploads.path_for(evidence.stored_name).open("rb")
    except (ValueError, FileNotFoundError):
        logger.error("stored file of evidence %s is missing", evidence.pk)
        raise Http404("Bestand niet gevonden") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.file_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


@login_required
@require_POST
def withdraw(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    evidence = get_object_or_404(Evidence.objects.for_algorithm(algorithm), pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        item = _item(algorithm, evidence.item_id)
        return _section(
            request, item, access, status=422, withdraw_form=form, withdraw_pk=evidence.pk
        )
    try:
        actions.withdraw(evidence, request.user, reason=form.cleaned_data["reason"])
    except actions.AlreadyWithdrawn as conflict:
        current = conflict.evidence
        error = (
            f"Dit bewijs is intussen al ingetrokken door {current.withdrawn_by} "
            f"om {_local(current.withdrawn_at)}: {current.withdrawal_reason}"
        )
        item = _item(algorithm, evidence.item_id)
        return _section(request, item, access, status=409, error=error)
    return _done(request, algorithm, evidence.item_id, access, "Bewijs ingetrokken.")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")
