"""Confirming an item marked *opnieuw beoordelen* after a release upgrade (one click)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tracker.access import Capability, get_algorithm_for_user
from tracker.checklist.actions import StaleEdit
from tracker.checklist.upgrade import confirm_review
from tracker.http import HtmxHttpRequest
from tracker.pages.checklist import item_context

STALE = 409


class ConfirmForm(forms.Form):
    version = forms.IntegerField(min_value=1)


@login_required
@require_POST
def review(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    item = get_object_or_404(algorithm.items.select_related("catalog_item"), pk=pk)
    form = ConfirmForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else 0
    try:
        confirm_review(item, request.user, expected_version=version)
    except StaleEdit as error:
        item.refresh_from_db()
        context = item_context(algorithm, access, item)
        context["review_conflict"] = (
            error.lines() if item.needs_review else ["Dit item is intussen al bevestigd."]
        )
        return render(request, "checklist/item.html", context, status=STALE)
    messages.success(request, "Bevestigd: het item telt weer gewoon mee voor de go-live.")
    return redirect(item.get_absolute_url())
