"""The register entry of an algorithm: the page with the form, saving, exporting the
upload file, downloading an export, and a preview laid out like the public register.

Readers see the entry and the preview; contributors (edit) save it; only owners and
approvers export it and download exports (``get_exporter``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Access, Capability, get_algorithm_for_user
from tracker.http import HtmxHttpRequest
from tracker.register.actions import NoStandard, NotExportable, StaleEntry, export_entry, save_entry
from tracker.register.entry import EntryState, document_bytes, entry_state
from tracker.register.forms import RegisterEntryForm
from tracker.register.models import RegisterExport
from tracker.register.preview import preview as preview_of

ENTRY_TEMPLATE = "register/entry.html"
PREVIEW_TEMPLATE = "register/preview.html"


def can_export(access: Access) -> bool:
    """Owners and approvers export the entry (it speaks for the organisation)."""
    return access.manage or access.approve


def get_exporter(user, slug: str):
    algorithm, access = get_algorithm_for_user(user, slug, Capability.READ)
    if not can_export(access):
        raise PermissionDenied("Alleen de eigenaar of een accordeerder exporteert de registratie")
    return algorithm, access


def _context(algorithm, access: Access, state: EntryState | None, form=None, **extra) -> dict:
    context = {
        "algorithm": algorithm,
        "access": access,
        "state": state,
        "can_export": can_export(access),
        **extra,
    }
    if state is not None and access.edit:
        context["form"] = form or RegisterEntryForm(state)
    if state is not None and state.entry is not None:
        context["exports"] = list(state.entry.exports.select_related("exported_by")[:10])
    return context


@login_required
@require_GET
def entry(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    return render(request, ENTRY_TEMPLATE, _context(algorithm, access, entry_state(algorithm)))


@login_required
@require_POST
def save(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    state = entry_state(algorithm)
    if state is None:
        raise Http404("Er is geen publicatiestandaard geïmporteerd")
    form = RegisterEntryForm(state, request.POST)
    template = f"{ENTRY_TEMPLATE}#entry" if request.htmx else ENTRY_TEMPLATE
    if not form.is_valid():
        context = _context(algorithm, access, state, form)
        return render(request, template, context, status=422)
    values, reset = form.submitted()
    try:
        saved = save_entry(
            algorithm,
            request.user,
            expected_version=form.cleaned_data["version"],
            submitted=values,
            reset=reset,
        )
    except StaleEntry as stale:
        fresh = entry_state(algorithm)
        context = _context(algorithm, access, fresh, stale=stale.message)
        return render(request, template, context, status=409)
    except NoStandard:
        raise Http404("Er is geen publicatiestandaard geïmporteerd") from None
    problems = len(saved.result.messages())
    if problems:
        messages.warning(
            request,
            f"De registratie is opgeslagen. {problems} veld{'en' if problems > 1 else ''} "
            "moet nog worden aangevuld of verbeterd voordat u kunt exporteren.",
        )
    else:
        messages.success(request, "De registratie is opgeslagen en is volledig en geldig.")
    if request.htmx:
        return render(request, template, _context(algorithm, access, saved))
    return redirect("register:entry", slug)


@login_required
@require_POST
def export(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, _ = get_exporter(request.user, slug)
    try:
        made = export_entry(algorithm, request.user)
    except NotExportable as refused:
        state = refused.state
        count = len(state.result.messages()) if state else 0
        messages.error(
            request,
            "Niet geëxporteerd: de registratie is nog niet volledig en geldig"
            + (f" ({count} veld{'en' if count != 1 else ''} met een melding)." if count else "."),
        )
        return redirect("register:entry", slug)
    messages.success(
        request,
        "De registratie is geëxporteerd als upload-bestand voor het Algoritmeregister en als "
        "bewijs toegevoegd aan het criterium voor het informeren van betrokkenen.",
    )
    url = reverse("register:entry", args=[slug])
    return redirect(f"{url}#export-{made.pk}")


@login_required
@require_GET
def download(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, _ = get_exporter(request.user, slug)
    made = get_object_or_404(
        RegisterExport.objects.select_related("entry__algorithm", "standard"),
        pk=pk,
        entry__algorithm=algorithm,
    )
    response = HttpResponse(
        document_bytes(made.ordered_document()), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{made.file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def preview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    state = entry_state(algorithm)
    context = _context(algorithm, access, state)
    context.pop("form", None)
    context["preview"] = preview_of(state) if state is not None else None
    return render(request, PREVIEW_TEMPLATE, context)
