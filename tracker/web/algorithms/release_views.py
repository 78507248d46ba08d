"""Moving an algorithm to a newer Algoritmekader release: the owner's preview, then the
confirmation (tracker.checklist.upgrade does the work)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tracker.access import Capability, get_algorithm_for_user
from tracker.algorithms.actions import StaleVersionError
from tracker.catalog.models import ContentRelease
from tracker.checklist.upgrade import StaleUpgrade, UpgradeRefused, apply_upgrade, plan_upgrade
from tracker.http import HtmxHttpRequest

STALE_STATUS = 409


class UpgradeForm(forms.Form):
    release = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@login_required
@require_http_methods(["GET", "POST"])
def release_upgrade(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """GET: what moving to the newest release would do (writes nothing). POST: do it."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    target = ContentRelease.latest()
    if request.method == "POST":
        form = UpgradeForm(request.POST)
        if not form.is_valid():
            raise Http404("Onvolledig formulier")
        target = ContentRelease.objects.filter(
            label=form.cleaned_data["release"], kind=ContentRelease.Source.ALGORITMEKADER
        ).first()
        if target is None:
            raise Http404("Release niet gevonden")
        version = form.cleaned_data["version"]
        try:
            plan = apply_upgrade(algorithm, target, request.user, expected_version=version)
        except StaleUpgrade as error:
            stale = StaleVersionError(error.algorithm, version)
            context = _context(error.algorithm, access, target)
            context.update({"stale": stale.entries(), "current": error.algorithm})
            return render(request, "algorithms/release.html", context, status=STALE_STATUS)
        except UpgradeRefused as error:
            messages.error(request, str(error))
            return redirect(algorithm)
        if plan.already_newest:
            messages.info(
                request, f"Dit algoritme volgt al release {target}; er is niets veranderd."
            )
        else:
            messages.success(
                request,
                f"Overgestapt op release {target}: {len(plan.unchanged)} items overgenomen, "
                f"{len(plan.to_review)} opnieuw te beoordelen, {len(plan.added)} nieuw, "
                f"{len(plan.retired)} vervallen.",
            )
        return redirect(algorithm)
    return render(request, "algorithms/release.html", _context(algorithm, access, target))


def _context(algorithm, access, target) -> dict:
    plan = None
    refused = ""
    if target is not None:
        try:
            plan = plan_upgrade(algorithm, target)
        except UpgradeRefused as error:
            refused = str(error)
    return {
        "algorithm": algorithm,
        "access": access,
        "target": target,
        "plan": plan,
        "refused": refused,
        "stale": None,
    }
