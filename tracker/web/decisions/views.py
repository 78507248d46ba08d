"""Decision views: record a go-live decision (approvers), the decision history, one
decision with its frozen snapshot, and marking a condition fulfilled.

A refused or invalid decision re-renders the gate page with the reasons (422); a
form loaded before someone else recorded a decision answers 409. Nothing is saved
in either case.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Capability, get_algorithm_for_user
from tracker.checklist.filters import members_of
from tracker.decisions.actions import (
    DecisionRefused,
    StaleCondition,
    StaleDecision,
    fulfil_condition,
    record_go_live_decision,
)
from tracker.decisions.forms import ConditionDefaultsForm, FulfilForm, GoLiveDecisionForm
from tracker.decisions.models import DecisionCondition
from tracker.decisions.presenting import present_snapshot
from tracker.gates.readiness import go_live_readiness
from tracker.http import HtmxHttpRequest
from tracker.pages.gate import condition_formset, gate_context
from tracker.web.gates.views import GATE_TEMPLATE

INVALID = 422
STALE = 409


@login_required
@require_POST
def record(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.APPROVE)
    form = GoLiveDecisionForm(request.POST)
    members = members_of(algorithm)
    readiness = go_live_readiness(algorithm)
    conditional = form.is_conditional
    defaults = ConditionDefaultsForm(request.POST, members=members)
    formset = condition_formset(readiness, members, request.POST, required=conditional)
    if not formset.management_form.is_valid():
        formset = condition_formset(readiness, members, required=conditional)
        conditions_valid = not conditional
    elif not conditional:
        conditions_valid = True
    else:
        conditions_valid = defaults.is_valid() and formset.is_valid() and formset.complete(defaults)

    def again(status: int, **extra) -> HttpResponse:
        context = gate_context(
            algorithm,
            access,
            readiness=readiness,
            form=form,
            formset=formset,
            defaults=defaults,
            **extra,
        )
        return render(request, GATE_TEMPLATE, context, status=status)

    if not (form.is_valid() and conditions_valid):
        return again(INVALID)
    data = form.cleaned_data
    specs = formset.specs(defaults.cleaned_data) if conditional else []
    try:
        decision = record_go_live_decision(
            algorithm,
            request.user,
            data["outcome"],
            data["rationale"],
            specs,
            expected_current=data["current"],
        )
    except DecisionRefused as refused:
        readiness = go_live_readiness(algorithm)
        posted = {spec.blocker_key: spec for spec in specs}
        formset = condition_formset(readiness, members, required=conditional, posted=posted)
        return again(INVALID, refusal=refused)
    except StaleDecision as stale:
        return again(STALE, stale_decision=stale.current)
    messages.success(request, f"Het besluit '{decision.get_outcome_display()}' is vastgelegd.")
    return redirect("decisions:detail", algorithm.slug, decision.pk)


@login_required
@require_GET
def decision_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    decisions = (
        algorithm.decisions.select_related("decided_by")
        .defer("snapshot")
        .annotate(successor_id=F("superseded_by__id"), condition_count=Count("conditions"))
        .order_by("-decided_at", "-id")
    )
    context = {"algorithm": algorithm, "access": access, "decisions": list(decisions)}
    return render(request, "decisions/list.html", context)


@login_required
@require_GET
def detail(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    decision = get_object_or_404(
        algorithm.decisions.select_related("decided_by").annotate(
            successor_id=F("superseded_by__id")
        ),
        pk=pk,
    )
    context = {
        "algorithm": algorithm,
        "access": access,
        "decision": decision,
        "verifies": decision.snapshot_verifies(),
        "conditions": list(decision.conditions.select_related("owner")),
        "snapshot": present_snapshot(decision.snapshot),
    }
    return render(request, "decisions/detail.html", context)


@login_required
@require_POST
def condition_done(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    condition = get_object_or_404(
        DecisionCondition.objects.filter(decision__algorithm=algorithm), pk=pk
    )
    template = f"{GATE_TEMPLATE}#conditions" if request.htmx else GATE_TEMPLATE
    form = FulfilForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ongeldig formulier; laad de pagina opnieuw.")
        return render(request, template, gate_context(algorithm, access), status=INVALID)
    try:
        fulfil_condition(condition, request.user, expected_version=form.cleaned_data["version"])
    except StaleCondition as stale:
        context = gate_context(algorithm, access, stale_condition=stale)
        return render(request, template, context, status=STALE)
    if request.htmx:
        return render(request, template, gate_context(algorithm, access))
    messages.success(request, "De voorwaarde is als vervuld gemarkeerd.")
    return redirect(back_to(request, reverse("gates:go_live", args=[algorithm.slug])))


def back_to(request: HtmxHttpRequest, default: str) -> str:
    """The page the form was sent from (gate or checklist), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
