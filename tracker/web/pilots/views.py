"""Pilot pages: the pilot with its evaluation and decision, editing the pilot, the
evaluation, and the pilot decision (approvers only).

Every view starts with ``get_algorithm_for_user``. A refused or invalid save answers
422, a stale form 409 with what changed meanwhile; nothing is saved in either case.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from tracker.access import Access, Capability, get_algorithm_for_user
from tracker.algorithms.models import Algorithm
from tracker.audit.stale import with_version
from tracker.decisions.actions import DecisionRefused, StaleDecision
from tracker.decisions.models import Decision
from tracker.http import HtmxHttpRequest
from tracker.pilots import actions
from tracker.pilots.decision import record_pilot_decision
from tracker.pilots.forms import (
    EvaluationForm,
    PilotDecisionForm,
    PilotForm,
    criterion_formset,
    rows_with_one_more,
)
from tracker.pilots.models import Pilot

DETAIL_TEMPLATE = "pilots/detail.html"
EDIT_TEMPLATE = "pilots/edit.html"
EVALUATE_TEMPLATE = "pilots/evaluate.html"
ADD_ROW = "regel-toevoegen"
INVALID = 422
STALE = 409


def _decision_form(pilot: Pilot, current: Decision | None) -> PilotDecisionForm:
    initial = {"current": current.pk if current else "", "pilot_version": pilot.version}
    return PilotDecisionForm(initial=initial)


def detail_context(algorithm: Algorithm, access: Access, **extra) -> dict:
    """The pilot page: the current pilot with its criteria, evaluation and decision, and
    the earlier pilots. A fixed number of queries however many pilots."""
    pilots = list(algorithm.pilots.with_details())
    decisions = list(actions.pilot_decisions(algorithm).order_by("-decided_at", "-id"))
    by_pilot = {}
    for decision in reversed(decisions):  # oldest first: the decision that closed the pilot
        by_pilot.setdefault(decision.pilot_id, decision)
    for pilot in pilots:
        pilot.decision = by_pilot.get(pilot.pk)
        evaluation = pilot.evaluation_or_none
        results = {}
        if evaluation is not None:
            results = {result.criterion_id: result for result in evaluation.results.all()}
        pilot.rows = [(criterion, results.get(criterion.pk)) for criterion in pilot.criteria.all()]
    pilot = pilots[0] if pilots else None
    current_decision = next((d for d in decisions if d.successor_id is None), None)
    is_open = pilot is not None and pilot.decision is None
    in_pilot = actions.in_pilot_stage(algorithm)
    can_decide = access.approve and in_pilot and is_open and pilot.evaluation_or_none is not None
    context = {
        "algorithm": algorithm,
        "access": access,
        "pilot": pilot,
        "earlier": pilots[1:],
        "is_open": is_open,
        "in_pilot": in_pilot,
        "current_decision": current_decision,
        "today": timezone.localdate(),
        "form": _decision_form(pilot, current_decision) if can_decide else None,
        **extra,
    }
    return context


@login_required
@require_GET
def detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    return render(request, DETAIL_TEMPLATE, detail_context(algorithm, access))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Create the current pilot, or update it while no decision has closed it."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    context = {"algorithm": algorithm, "access": access}
    if not actions.in_pilot_stage(algorithm):
        context["refusal"] = actions.NOT_IN_PILOT
        status = STALE if request.method == "POST" else 200
        return render(request, EDIT_TEMPLATE, context, status=status)
    pilot = actions.open_pilot(algorithm)
    criteria = list(pilot.criteria.all()) if pilot else []
    not_before = actions.previous_start(algorithm, pilot)
    context["pilot"] = pilot
    context["closed_before"] = pilot is None and algorithm.pilots.exists()
    if request.method == "GET":
        initial = {"version": pilot.version if pilot else None}
        form = PilotForm(instance=pilot, initial=initial, not_before=not_before)
        context.update(form=form, formset=criterion_formset(criteria=criteria))
        return render(request, EDIT_TEMPLATE, context)

    if ADD_ROW in request.POST:
        # "Regel toevoegen" without JavaScript: the form again as typed, nothing saved.
        rows, extra = rows_with_one_more(request.POST)
        typed = {name: request.POST.get(name, "") for name in PilotForm.base_fields}
        typed["processes_production_data"] = "processes_production_data" in request.POST
        form = PilotForm(instance=pilot, initial=typed, not_before=not_before)
        formset = criterion_formset(initial=rows, extra=extra)
        context.update(form=form, formset=formset)
        return render(request, EDIT_TEMPLATE, context)

    form = PilotForm(request.POST, instance=pilot, not_before=not_before)
    formset = criterion_formset(request.POST, criteria)
    context.update(form=form, formset=formset)
    if not (form.is_valid() and formset.is_valid()):
        return render(request, EDIT_TEMPLATE, context, status=INVALID)
    try:
        saved = actions.save_pilot(
            algorithm,
            request.user,
            expected_version=form.cleaned_data["version"],
            values=form.values(),
            criteria=formset.specs(),
        )
    except actions.StalePilot as stale:
        current = stale.pilot
        data = with_version(request.POST, current.version if current else None)
        context.update(
            stale=stale.entries(),
            current=current,
            form=PilotForm(data, instance=current, not_before=not_before),
            formset=criterion_formset(data, list(current.criteria.all()) if current else []),
        )
        context["form"].is_valid()
        return render(request, EDIT_TEMPLATE, context, status=STALE)
    except actions.PilotRefused as refused:
        context["refusal"] = refused.message
        return render(request, EDIT_TEMPLATE, context, status=INVALID)
    verb = "vastgelegd" if form.cleaned_data["version"] is None else "opgeslagen"
    messages.success(request, f"De pilot ({saved.start_date:%d-%m-%Y}) is {verb}.")
    return redirect("pilots:detail", algorithm.slug)


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The evaluation of the current pilot; allowed before its end date, with a notice."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    context = {"algorithm": algorithm, "access": access, "today": timezone.localdate()}
    pilot = actions.open_pilot(algorithm) if actions.in_pilot_stage(algorithm) else None
    if pilot is None:
        context["refusal"] = (
            actions.NOT_IN_PILOT
            if not actions.in_pilot_stage(algorithm)
            else "Er is geen lopende pilot om te evalueren. Leg eerst de pilot vast."
        )
        status = STALE if request.method == "POST" else 200
        return render(request, EVALUATE_TEMPLATE, context, status=status)
    pilot = algorithm.pilots.with_details().get(pk=pilot.pk)
    criteria = list(pilot.criteria.all())
    context["pilot"] = pilot
    if request.method == "GET":
        form = EvaluationForm(initial=EvaluationForm.initial_for(pilot), criteria=criteria)
        context["form"] = form
        return render(request, EVALUATE_TEMPLATE, context)

    form = EvaluationForm(request.POST, criteria=criteria)
    context["form"] = form
    if not form.is_valid():
        return render(request, EVALUATE_TEMPLATE, context, status=INVALID)
    try:
        actions.save_evaluation(
            pilot,
            request.user,
            expected_version=form.cleaned_data["version"],
            values=form.values(),
            results=form.results(),
        )
    except actions.StalePilot as stale:
        fresh = algorithm.pilots.with_details().get(pk=stale.pilot.pk)
        data = with_version(request.POST, fresh.version)
        context.update(
            stale=stale.entries(),
            pilot=fresh,
            form=EvaluationForm(data, criteria=list(fresh.criteria.all())),
        )
        context["form"].is_valid()
        return render(request, EVALUATE_TEMPLATE, context, status=STALE)
    except actions.PilotRefused as refused:
        context["refusal"] = refused.message
        return render(request, EVALUATE_TEMPLATE, context, status=INVALID)
    messages.success(request, "De evaluatie van de pilot is opgeslagen.")
    return redirect("pilots:detail", algorithm.slug)


@login_required
@require_POST
def decide(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The pilot decision: develop further, phase out or implement (approvers only)."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.APPROVE)
    form = PilotDecisionForm(request.POST)
    template = f"{DETAIL_TEMPLATE}#decision" if request.htmx else DETAIL_TEMPLATE

    def again(status: int, **extra) -> HttpResponse:
        return render(request, template, detail_context(algorithm, access, **extra), status=status)

    if not form.is_valid():
        return again(INVALID, form=form)
    data = form.cleaned_data
    try:
        result = record_pilot_decision(
            algorithm,
            request.user,
            data["outcome"],
            data["rationale"],
            expected_current=data["current"],
            expected_pilot_version=data["pilot_version"],
        )
    except DecisionRefused as refused:
        return again(INVALID, form=form, refusal=refused)
    except StaleDecision as stale:
        return again(STALE, stale_decision=stale.current)
    except actions.StalePilot as stale:
        return again(STALE, stale=stale.entries())
    decision = result.decision
    messages.success(
        request,
        f"Het pilotbesluit '{decision.get_outcome_display()}' is vastgelegd. "
        f"Checklist: {result.change.plan.summary()}.",
    )
    url = reverse("pilots:detail", args=[algorithm.slug])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
