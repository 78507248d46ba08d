"""The members page of an algorithm: everyone who may read sees it; the owner
(manage capability) adds members, changes roles and removes members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Capability, get_algorithm_for_user
from tracker.accounts.names import display_name
from tracker.algorithms import members
from tracker.algorithms.forms import MemberAddForm, MemberRoleForm, MemberSearchForm, style
from tracker.algorithms.models import Membership
from tracker.http import HtmxHttpRequest

CONFLICT = 409


def _render(request, algorithm, access, *, form=None, error: str = "", status: int = 200):
    search = style(MemberSearchForm(request.GET))
    query = search.query() if access.manage else ""
    context = {
        "algorithm": algorithm,
        "access": access,
        "memberships": algorithm.memberships.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username"
        ),
        "roles": Membership.Role.choices,
        "form": form,
        "search": search,
        "query": query,
        "candidates": list(members.candidates(algorithm, query)) if query else [],
        "error": error,
    }
    template = "algorithms/members.html"
    if request.htmx and request.htmx.target == "kandidaten" and access.manage:
        template += "#candidates"
    return render(request, template, context, status=status)


@login_required
@require_GET
def member_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    return _render(request, algorithm, access)


@login_required
@require_POST
def member_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    form = MemberAddForm(request.POST, algorithm=algorithm)
    if not form.is_valid():
        return _render(request, algorithm, access, form=form, status=400)
    role = form.cleaned_data["role"]
    members.add_member(algorithm, actor=request.user, user=form.user, role=role)
    label = Membership.Role(role).label.lower()
    messages.success(request, f"{display_name(form.user)} is toegevoegd als {label}.")
    return redirect("algorithms:members", algorithm.slug)


@login_required
@require_POST
def member_role(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    membership = get_object_or_404(algorithm.memberships.select_related("user"), pk=pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _render(request, algorithm, access, error="Kies een geldige rol.", status=400)
    try:
        members.change_role(
            algorithm, membership, actor=request.user, role=form.cleaned_data["role"]
        )
    except members.LastOwnerError as error:
        return _render(request, algorithm, access, error=str(error), status=CONFLICT)
    messages.success(request, f"De rol van {display_name(membership.user)} is gewijzigd.")
    return redirect("algorithms:members", algorithm.slug)


@login_required
@require_POST
def member_remove(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    membership = get_object_or_404(algorithm.memberships.select_related("user"), pk=pk)
    try:
        members.remove_member(algorithm, membership, actor=request.user)
    except members.LastOwnerError as error:
        return _render(request, algorithm, access, error=str(error), status=CONFLICT)
    messages.success(request, f"{display_name(membership.user)} is geen lid meer.")
    return redirect("algorithms:members", algorithm.slug)
