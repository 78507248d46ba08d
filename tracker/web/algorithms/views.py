"""Algorithm pages: the list, registering one, its overview, details, phase and profile,
and the items that do not apply. Members are in member_views.py.

Every view that concerns one algorithm starts with ``get_algorithm_for_user``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tracker.access import (
    Capability,
    get_algorithm_for_user,
    home_organisation,
    organisations_for_registration,
)
from tracker.algorithms import actions
from tracker.algorithms.forms import AlgorithmCreateForm, DetailsForm, ProfileForm, style
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.stale import rebind
from tracker.catalog.models import ContentRelease
from tracker.checklist import sync
from tracker.checklist.profile import change_profile, create_algorithm, preview_profile
from tracker.checklist.progress import Progress, progress_per_algorithm
from tracker.decision_aid.models import DecisionTree
from tracker.http import HtmxHttpRequest
from tracker.pages.overview import overview_context
from tracker.register.status import register_status

STALE_STATUS = 409


@login_required
@require_GET
def algorithm_list(request: HtmxHttpRequest) -> HttpResponse:
    algorithms = list(Algorithm.objects.visible_to(request.user).select_related("organisation"))
    progress = progress_per_algorithm([algorithm.pk for algorithm in algorithms])
    roles = dict(
        Membership.objects.filter(
            user=request.user, algorithm__in=[a.pk for a in algorithms]
        ).values_list("algorithm_id", "role")
    )
    for algorithm in algorithms:
        role = roles.get(algorithm.pk)
        algorithm.user_role = Membership.Role(role).label if role else "Portfoliokijker"
        algorithm.progress = progress.get(algorithm.pk, Progress())
    context = {
        "algorithms": algorithms,
        "can_register": organisations_for_registration(request.user).exists(),
    }
    return render(request, "algorithms/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def algorithm_create(request: HtmxHttpRequest) -> HttpResponse:
    organisations = organisations_for_registration(request.user)
    if not organisations.exists():
        raise PermissionDenied("U hoort bij geen organisatie en kunt geen algoritme registreren")
    home = home_organisation(request.user, organisations)
    form = AlgorithmCreateForm(
        request.POST or None, organisations=organisations, initial={"organisation": home}
    )
    no_release = ContentRelease.latest() is None
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name]
            for name in ("name", "description", "organisation", "release")
        }
        values.update(form.profile_values())
        algorithm = create_algorithm(actor=request.user, values=values)
        count = algorithm.items.current().count()
        messages.success(
            request, f"Algoritme '{algorithm.name}' is geregistreerd met {count} checklistitems."
        )
        if request.POST.get("next") == "beslishulp":
            return redirect("decision_aid:algorithm_start", algorithm.slug)
        return redirect(algorithm)
    context = {
        "form": style(form),
        "no_release": no_release,
        "aid_available": DecisionTree.objects.exists(),
    }
    return render(request, "algorithms/create.html", context)


@login_required
@require_GET
def algorithm_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    context = overview_context(algorithm, access)
    context.update(
        members=algorithm.memberships.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username"
        ),
        retired=algorithm.items.filter(retired_at__isnull=False).count(),
        register_status=register_status(algorithm),
    )
    return render(request, "algorithms/detail.html", context)


def _stale_context(error: actions.StaleVersionError) -> dict:
    return {"stale": error.entries(), "current": error.algorithm}


@login_required
@require_http_methods(["GET", "POST"])
def algorithm_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    initial = {"name": algorithm.name, "description": algorithm.description}
    form = DetailsForm(request.POST or None, initial={**initial, "version": algorithm.version})
    context = {"algorithm": algorithm, "access": access, "form": style(form)}
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_details(
                algorithm,
                actor=request.user,
                version=form.cleaned_data["version"],
                values=form.cleaned_data,
            )
        except actions.StaleVersionError as error:
            context.update(_stale_context(error))
            context["form"] = style(rebind(DetailsForm, form.data, error.algorithm.version))
            return render(request, "algorithms/edit.html", context, status=STALE_STATUS)
        messages.success(request, "De gegevens van het algoritme zijn opgeslagen.")
        return redirect(algorithm)
    return render(request, "algorithms/edit.html", context)


def _hidden_values(form: ProfileForm) -> list[tuple[str, str]]:
    """The cleaned profile values as hidden inputs for the confirm button."""
    hidden: list[tuple[str, str]] = [("version", str(form.cleaned_data["version"]))]
    for name, value in form.profile_values().items():
        if isinstance(value, list):
            hidden += [(name, v) for v in value]
        elif isinstance(value, bool):
            if value:
                hidden.append((name, "on"))
        elif value:
            hidden.append((name, value))
    return hidden


@login_required
@require_http_methods(["GET", "POST"])
def algorithm_profile(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Phase, stage and AI profile: POST shows a preview; POST with ``confirm`` applies."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(algorithm))
    context = {"algorithm": algorithm, "access": access, "form": style(form)}
    template = "algorithms/profile.html"
    if request.method != "POST" or not form.is_valid():
        if request.htmx and request.method == "POST":
            template += "#preview"
        return render(request, template, context)

    version = form.cleaned_data["version"]
    if version != algorithm.version:
        context.update(_stale_context(actions.StaleVersionError(algorithm, version)))
        context["form"] = style(rebind(ProfileForm, form.data, algorithm.version))
        return render(request, template, context, status=STALE_STATUS)
    if "confirm" not in request.POST:
        context["plan"] = preview_profile(algorithm, form.profile_values(), form.profile)
        context["hidden"] = _hidden_values(form)
        return render(request, template + ("#preview" if request.htmx else ""), context)
    try:
        change = change_profile(
            algorithm,
            actor=request.user,
            version=version,
            values=form.profile_values(),
            profile=form.profile,
        )
    except actions.StaleVersionError as error:
        context.update(_stale_context(error))
        context["form"] = style(rebind(ProfileForm, form.data, error.algorithm.version))
        return render(request, template, context, status=STALE_STATUS)
    if change.changes:
        messages.success(request, f"Fase en profiel zijn gewijzigd: {change.plan.summary()}.")
    else:
        messages.info(request, "Er is niets gewijzigd.")
    return redirect(algorithm)


@login_required
@require_GET
def not_applicable(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    evaluation = sync.evaluate(
        algorithm, phase=algorithm.phase, stage=algorithm.stage, profile=algorithm.profile()
    )
    retired = (
        algorithm.items.filter(retired_at__isnull=False)
        .select_related("catalog_item")
        .order_by("-retired_at", "catalog_item__code")
    )
    context = {
        "algorithm": algorithm,
        "access": access,
        "not_applicable": evaluation.not_applicable,
        "retired": retired,
    }
    return render(request, "algorithms/not_applicable.html", context)
