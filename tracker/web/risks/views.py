"""Residual risks of a checklist item: add, edit, accept, revoke the acceptance.

Every view resolves the algorithm and the user's capability first, then fetches the
item or risk scoped to that algorithm. All views render the risks section: swapped in
place with htmx, or as its own page without JavaScript when something was refused
(and for the edit form); a successful change without JavaScript redirects back to the
item page with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import Access, Capability, get_algorithm_for_user
from tracker.algorithms.models import Algorithm
from tracker.audit.stale import rebind
from tracker.checklist.models import ChecklistItem
from tracker.http import HtmxHttpRequest
from tracker.risks import actions
from tracker.risks.forms import AcceptForm, RevokeForm, RiskEditForm, RiskForm
from tracker.risks.models import ResidualRisk

TEMPLATE = "risks/section.html"


def _item(algorithm: Algorithm, pk: int) -> ChecklistItem:
    return get_object_or_404(algorithm.items.select_related("algorithm", "catalog_item"), pk=pk)


def _risk(algorithm: Algorithm, pk: int) -> ResidualRisk:
    return get_object_or_404(ResidualRisk.objects.for_algorithm(algorithm), pk=pk)


def _section(
    request: HtmxHttpRequest,
    algorithm: Algorithm,
    access: Access,
    item_pk: int,
    *,
    status: int = 200,
    **extra,
) -> TemplateResponse:
    item = _item(algorithm, item_pk)
    context = {
        "item": item,
        "access": access,
        "risks": list(item.risks.with_people()),
        "risk_form": RiskForm(algorithm=algorithm) if access.edit else None,
        **extra,
    }
    template = f"{TEMPLATE}#risks" if request.htmx else TEMPLATE
    return TemplateResponse(request, template, context, status=status)


def _done(request: HtmxHttpRequest, algorithm: Algorithm, access: Access, item_pk: int, notice):
    if request.htmx:
        return _section(request, algorithm, access, item_pk, notice=notice)
    messages.success(request, notice)
    return redirect("checklist:item", algorithm.slug, item_pk)


def _stale(request, algorithm, access, conflict: actions.StaleRisk, **extra) -> TemplateResponse:
    return _section(
        request,
        algorithm,
        access,
        conflict.risk.item_id,
        status=409,
        stale=conflict.changes,
        stale_message=conflict.message,
        stale_pk=conflict.risk.pk,
        **extra,
    )


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def add(request: HtmxHttpRequest, slug: str, item_pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    item = _item(algorithm, item_pk)
    form = RiskForm(request.POST, algorithm=algorithm)
    if form.is_valid():
        try:
            actions.add_risk(item, request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _done(request, algorithm, access, item.pk, "Restrisico toegevoegd.")
    return _section(request, algorithm, access, item.pk, status=422, risk_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    risk = _risk(algorithm, pk)
    if request.method == "GET":
        form = RiskEditForm(instance=risk, algorithm=algorithm)
        return _section(request, algorithm, access, risk.item_id, edit_pk=risk.pk, edit_form=form)
    form = RiskEditForm(request.POST, instance=risk, algorithm=algorithm)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.RISK_FIELDS}
        was_accepted = risk.accepted_at is not None
        try:
            saved = actions.update_risk(
                risk, request.user, expected_version=form.cleaned_data["version"], **fields
            )
        except actions.StaleRisk as conflict:
            form = rebind(
                RiskEditForm,
                form.data,
                conflict.risk.version,
                instance=conflict.risk,
                algorithm=algorithm,
            )
            return _stale(request, algorithm, access, conflict, edit_pk=risk.pk, edit_form=form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            notice = "Restrisico opgeslagen."
            if was_accepted and saved.accepted_at is None:
                notice += (
                    " De acceptatie is vervallen: het risico moet opnieuw worden geaccepteerd."
                )
            return _done(request, algorithm, access, risk.item_id, notice)
    return _section(
        request, algorithm, access, risk.item_id, status=422, edit_pk=risk.pk, edit_form=form
    )


@login_required
@require_POST
def accept(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.APPROVE)
    risk = _risk(algorithm, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            actions.accept_risk(
                risk,
                request.user,
                expected_version=form.cleaned_data["version"],
                expires=form.cleaned_data["expires"],
            )
        except actions.StaleRisk as conflict:
            return _stale(request, algorithm, access, conflict)
        except ValidationError as error:
            form.add_error("expires", error.message_dict.get("acceptance_expires"))
        else:
            return _done(request, algorithm, access, risk.item_id, "Restrisico geaccepteerd.")
    return _section(
        request, algorithm, access, risk.item_id, status=422, accept_pk=risk.pk, accept_form=form
    )


@login_required
@require_POST
def revoke(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.APPROVE)
    risk = _risk(algorithm, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _section(
            request,
            algorithm,
            access,
            risk.item_id,
            status=422,
            error="Het formulier is onvolledig; laad de pagina opnieuw.",
        )
    try:
        actions.revoke_acceptance(risk, request.user, expected_version=form.cleaned_data["version"])
    except actions.StaleRisk as conflict:
        return _stale(request, algorithm, access, conflict)
    return _done(request, algorithm, access, risk.item_id, "Acceptatie ingetrokken.")
