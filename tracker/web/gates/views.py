"""The go-live gate page: readiness at a glance, the current decision and its
conditions, and for approvers the decision form (posted to decisions:record)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.access import Capability, get_algorithm_for_user
from tracker.http import HtmxHttpRequest
from tracker.pages.gate import gate_context

GATE_TEMPLATE = "gates/go_live.html"


@login_required
@require_GET
def go_live(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    return render(request, GATE_TEMPLATE, gate_context(algorithm, access))
