"""Checklist views: the checklist page, the item page and the item's POST actions.

Every view first checks access (tracker.access) and fetches the item scoped to the
algorithm. POSTs answer an htmx request with the swapped part (a row of the checklist
page, or a section of the item page) and a plain request with a redirect back and a
message. A refused save answers 422 (invalid) or 409 (stale form), saves nothing,
and shows the user's own values again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tracker.access import Capability, get_algorithm_for_user
from tracker.audit.stale import rebind
from tracker.checklist import actions
from tracker.checklist.filters import ChecklistFilterForm, members_of
from tracker.checklist.forms import CommentForm, DecisionForm, InstructionForm, ItemForm
from tracker.http import HtmxHttpRequest
from tracker.pages.checklist import (
    checklist_context,
    item_context,
    kept_results,
    page_row,
    row_context,
)

LIST_TEMPLATE = "checklist/checklist.html"
ITEM_TEMPLATE = "checklist/item.html"
INVALID = 422
STALE = 409


@login_required
@require_GET
def checklist(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    members = members_of(algorithm)
    form = ChecklistFilterForm(request.GET, members=members)
    today, here = timezone.localdate(), request.get_full_path()  # where the saves return
    context = checklist_context(algorithm, access, form, members, today, next_url=here)
    results = kept_results(request, context)
    if request.htmx:  # a filter changed: the rows only
        return HttpResponse(results)
    return render(request, LIST_TEMPLATE, {**context, "results": results})


@login_required
@require_GET
def item(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    checklist_item = get_object_or_404(algorithm.items.select_related("catalog_item"), pk=pk)
    return render(request, ITEM_TEMPLATE, item_context(algorithm, access, checklist_item))


@login_required
@require_POST
def update(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Status, justification, owner and due date, from a checklist row or the item page."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    checklist_item = get_object_or_404(
        algorithm.items.select_related("catalog_item", "owner"), pk=pk
    )
    members = members_of(algorithm)
    form = ItemForm(request.POST, members=members)
    from_row = request.POST.get("from") == "row"
    status, conflict, sibling = 200, [], None
    if form.is_valid():
        try:
            saved = actions.update_item(
                checklist_item,
                request.user,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
            sibling = _sibling_version(
                request, "instruction-version", form.cleaned_data["version"], saved.version
            )
        except actions.StaleEdit as stale:
            status, conflict = STALE, stale.lines()
            form = rebind(ItemForm, request.POST, stale.item.version, members=members)
        except ValidationError as error:
            status = INVALID
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
    else:
        status = INVALID

    if status == 200 and not request.htmx:
        messages.success(request, f"{checklist_item.catalog_item.code or 'Item'} is bijgewerkt.")
        return redirect(_next_url(request, checklist_item.get_absolute_url()))
    today = timezone.localdate()
    if request.htmx and from_row:
        row = page_row(algorithm, pk, today)
        row.saved = status == 200
        if status != 200:
            row.values.update({name: request.POST.get(name, "") for name in ItemForm.FIELDS})
            row.errors.update((name, list(errors)) for name, errors in form.errors.items())
            row.conflict = conflict
        next_url = _next_url(request, reverse("checklist:list", args=[algorithm.slug]))
        context = row_context(algorithm, access, row, members, today, next_url)
        return render(request, f"{LIST_TEMPLATE}#row_response", context, status=status)
    checklist_item.refresh_from_db()
    context = item_context(
        algorithm,
        access,
        checklist_item,
        members=members,
        item_form=form if status != 200 else None,
        conflict=conflict,
        next_url=_next_url(request, ""),
    )
    context.update(saved=status == 200, instruction_version=sibling)
    template = f"{ITEM_TEMPLATE}#item_form" if request.htmx else ITEM_TEMPLATE
    return render(request, template, context, status=status)


@login_required
@require_POST
def instruction(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The work instruction (markdown), with the same stale-form protection."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    checklist_item = get_object_or_404(algorithm.items.select_related("catalog_item"), pk=pk)
    form = InstructionForm(request.POST)
    status, conflict, sibling = 200, [], None
    if form.is_valid():
        try:
            saved = actions.update_instruction(
                checklist_item,
                request.user,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["work_instruction"],
            )
            sibling = _sibling_version(
                request, "version", form.cleaned_data["version"], saved.version
            )
        except actions.StaleEdit as stale:
            status, conflict = STALE, stale.lines()
            form = rebind(InstructionForm, request.POST, stale.item.version)
    else:
        status = INVALID
    return _item_section(
        request,
        algorithm,
        access,
        checklist_item,
        status,
        section="instruction",
        success="De werkinstructie is opgeslagen.",
        instruction_form=form if status != 200 else None,
        instruction_conflict=conflict,
        item_version=sibling,
    )


@login_required
@require_POST
def comment(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.EDIT)
    checklist_item = get_object_or_404(algorithm.items.select_related("catalog_item"), pk=pk)
    form = CommentForm(request.POST)
    valid = form.is_valid()
    if valid:
        actions.add_comment(checklist_item, request.user, body=form.cleaned_data["body"])
    return _item_section(
        request,
        algorithm,
        access,
        checklist_item,
        200 if valid else INVALID,
        section="comments",
        success="Uw opmerking is geplaatst.",
        comment_form=None if valid else form,
    )


@login_required
@require_POST
def decide(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A go / conditional go / no-go on the item: approvers only."""
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.APPROVE)
    checklist_item = get_object_or_404(algorithm.items.select_related("catalog_item"), pk=pk)
    form = DecisionForm(request.POST)
    valid = form.is_valid()
    if valid:
        actions.decide_item(checklist_item, request.user, **form.cleaned_data)
    return _item_section(
        request,
        algorithm,
        access,
        checklist_item,
        200 if valid else INVALID,
        section="decisions",
        success="Het besluit is vastgelegd.",
        decision_form=None if valid else form,
    )


def _item_section(
    request,
    algorithm,
    access,
    checklist_item,
    status,
    *,
    section,
    success,
    instruction_conflict=None,
    item_version=None,
    **forms,
):
    """After a POST on the item page: redirect (plain, saved), or render the section
    (htmx) or the whole page (plain, refused) with the status."""
    if status == 200 and not request.htmx:
        messages.success(request, success)
        return redirect(checklist_item.get_absolute_url())
    checklist_item.refresh_from_db()
    context = item_context(algorithm, access, checklist_item, **forms)
    context.update(
        saved=status == 200,
        section=section,
        instruction_conflict=instruction_conflict or [],
        item_version=item_version,
    )
    template = f"{ITEM_TEMPLATE}#{section}" if request.htmx else ITEM_TEMPLATE
    return render(request, template, context, status=status)


def _sibling_version(request, name: str, expected: int, new: int) -> int | None:
    """The version to give the page's other form on the item (out of band), after a
    save from ``expected`` to ``new``: only when that form was loaded at ``expected``
    too, so the user's own save does not make it stale, while a change by someone
    else (an older version there) still does."""
    if request.htmx and new != expected and request.POST.get(name) == str(expected):
        return new
    return None


def _next_url(request: HtmxHttpRequest, default: str) -> str:
    """Where to go back to (the checklist with its filters), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
