"""What the checklist page and the item page show: the context builders shared by the
page views and by the views that re-render a page or a part of it after a POST."""

import hashlib
import posixpath
import secrets
from datetime import date

from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Q, prefetch_related_objects
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tracker.access import Access
from tracker.algorithms.models import Algorithm
from tracker.audit.models import AuditEntry
from tracker.catalog.item_body import item_body
from tracker.catalog.links import link_for
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.catalog.rendering import render_body
from tracker.checklist import sync
from tracker.checklist.filters import BY_REQUIREMENT, ChecklistFilterForm, members_of
from tracker.checklist.forms import (
    CommentForm,
    DecisionForm,
    InstructionForm,
    ItemForm,
    owner_choices,
)
from tracker.checklist.grouping import Group, group_by_requirement, group_by_topic
from tracker.checklist.models import ChecklistItem, Comment, ItemDecision, url_per_item
from tracker.checklist.progress import progress_for
from tracker.checklist.reasons import reason_texts
from tracker.checklist.rows import HEAD_FIELDS, Row, in_page_order, read_facts, rows_of
from tracker.decisions.models import DecisionCondition
from tracker.evidence.forms import EvidenceForm
from tracker.evidence.models import Evidence
from tracker.pages.options import Options
from tracker.risks.forms import RiskForm
from tracker.risks.models import ResidualRisk

AUDIT_ENTRIES_SHOWN = 100
STATUS_OPTIONS = Options(ChecklistItem.Status.choices)
# The rows' rendered cells, kept per content (Row.cache_key) and page (row_scope): the
# ``{% cache %}`` fragment of templates/checklist/checklist.html.
ROWS = caches["fragments"]
ROW_FRAGMENT = "checklist_row"
# The page's rows rendered whole (its ``results`` partial), kept per results_key.
RESULTS = caches["pages"]
RESULTS_TEMPLATE = "checklist/checklist.html#results"
# Where the kept results hold each save form's CSRF token, filled in per request. A NUL
# never comes from a user (forms refuse it) and the random part from no one at all.
CSRF_HOLE = f"\x00{secrets.token_hex(8)}\x00"
# In-process, like the figures (settings.CACHES): judged items of later phases.
UPCOMING = caches["default"]


def checklist_context(
    algorithm: Algorithm,
    access: Access,
    form: ChecklistFilterForm,
    members: list,
    today: date,
    next_url: str,
) -> dict:
    """The checklist page: filters, progress and what its rows show, in a fixed number of
    queries whatever the number of items. ``next_url``: where the rows' saves return (the
    page itself, with its filters). ``kept_results`` renders the rows."""
    current = algorithm.items.current()
    facts = in_page_order(read_facts(form.apply(current.with_counts(today), today)))
    heads = []  # the vereisten that head the groups
    if form.grouping == BY_REQUIREMENT:
        heads = read_facts(current.of_kind(CatalogItem.Kind.REQUIREMENT), HEAD_FIELDS)
    parts = row_parts(algorithm, access, members, today)
    shown = (facts, heads, form.grouping, parts["row_scope"], form.is_filtered, next_url)
    return {
        "algorithm": algorithm,
        "access": access,
        "form": form,
        "facts": facts,
        "heads": heads,
        "row_count": len(facts),
        "next_url": next_url,
        # Everything the rows show (the groups follow from the facts: Row's module doc).
        "results_key": "checklist_results:" + hashlib.sha256(repr(shown).encode()).hexdigest(),
        **parts,
        "progress": progress_for(current, today),
        "conditions": go_live_conditions(algorithm),
        "upcoming": upcoming_items(algorithm),
        "today": today,
    }


def kept_results(request: HttpRequest, context: dict) -> SafeString:
    """The page's rows as the template's ``results`` partial renders them, kept whole
    under ``results_key`` so a page seen before is not rendered again row by row; each
    save form's CSRF token is the request's own (kept as ``CSRF_HOLE``). On a miss the
    rows are grouped and rendered from their kept cells where those are still kept."""
    html = RESULTS.get(context["results_key"])
    if html is None:
        groups = grouped_rows(context)
        html = render_to_string(
            RESULTS_TEMPLATE, {**context, "groups": groups, "csrf_token": CSRF_HOLE}, request
        )
        RESULTS.set(context["results_key"], html, timeout=None)
    if CSRF_HOLE in html:  # an editor's save forms
        html = html.replace(CSRF_HOLE, get_token(request))
    return mark_safe(html)  # rendered by the template, escaped there


def grouped_rows(context: dict) -> list[Group]:
    """The rows of the page's facts in their groups, with their kept cells or items and,
    for an editor, where they post."""
    algorithm, facts = context["algorithm"], context["facts"]
    if context["form"].grouping == BY_REQUIREMENT:
        rows = rows_of(facts, links=True)
        item_url = url_per_item("checklist:item", algorithm.slug)
        heads = rows_of(context["heads"], HEAD_FIELDS)
        groups = group_by_requirement(rows, heads, url_for=item_url)
    else:
        rows = rows_of(facts, topics=True)
        groups = group_by_topic(rows)
    with_cells(algorithm, rows, context["row_scope"], context["today"])
    with_update_urls(algorithm, context["access"], rows)
    return groups


def with_update_urls(algorithm: Algorithm, access: Access, rows: list[Row]) -> None:
    """Where each row's save form posts (``Row.update_url``), for an editor."""
    if not access.edit:
        return
    update_url = url_per_item("checklist:update", algorithm.slug)
    for row in rows:
        row.update_url = update_url(row.pk)


def with_cells(algorithm: Algorithm, rows: list[Row], row_scope: str, today: date) -> None:
    """The rows' kept cells (``Row.cells``), and for the others their items (``Row.item``,
    one query), from which the template renders and keeps the cells: under the key of its
    ``{% cache %}`` tag, so the two find the same."""
    keys = {
        row.pk: make_template_fragment_key(ROW_FRAGMENT, [key, row_scope])
        for row in rows
        if (key := row.cache_key)
    }
    found = ROWS.get_many(keys.values())
    missing = []
    for row in rows:
        cells = found.get(keys.get(row.pk))
        if cells is None:
            missing.append(row.pk)
        else:
            row.cells = mark_safe(cells)  # rendered by the template, escaped there
    if missing:
        items = algorithm.items.for_checklist_page(today).in_bulk(missing)
        for row in rows:
            if not row.cells:
                row.item = items[row.pk]


def row_parts(algorithm: Algorithm, access: Access, members: list, today: date) -> dict:
    """What the rows' cells take from the page: the options of their selects, and
    ``row_scope``, what they show of the page rather than of the item (its link, whether
    it can be edited, the owners offered, whether a due date has passed). With
    ``Row.cache_key`` it is the key under which the rendered cells are kept (the ``fragments``
    cache of settings.CACHES), so a change of either renders them anew."""
    owners = owner_choices(members)
    shown = (algorithm.slug, access.edit, today, tuple(owners))
    return {
        "owner_options": Options(owners),
        "statuses": STATUS_OPTIONS,
        "row_scope": hashlib.sha256(repr(shown).encode()).hexdigest(),
    }


def upcoming_items(algorithm: Algorithm) -> list:
    """The applicable items of later phases (*komende fasen*): shown apart, never counted.

    They follow from the release, the content pack, the phase, the stage and the AI
    profile alone (not from the team's work), and an imported release never changes
    (its hash and import time in the key all the same): so they are judged once per combination
    and kept, instead of judging the whole catalogue on every view of the checklist.
    """
    profile = algorithm.profile()
    pack = ContentRelease.latest(ContentRelease.Source.PACK)
    releases = [
        (release.pk, release.content_hash, release.imported_at.isoformat())
        for release in (algorithm.release, pack)
        if release is not None
    ]
    facts = (releases, algorithm.phase, algorithm.stage, repr(profile))
    key = "upcoming:" + hashlib.sha256(repr(facts).encode()).hexdigest()
    upcoming = UPCOMING.get(key)
    if upcoming is None:
        upcoming = sync.evaluate(
            algorithm, phase=algorithm.phase, stage=algorithm.stage, profile=profile
        ).upcoming
        # Kept with their releases, which their links name (CatalogItem.get_absolute_url).
        prefetch_related_objects([judged.item for judged in upcoming], "release")
        UPCOMING.set(key, upcoming, timeout=None)
    return upcoming


def go_live_conditions(algorithm: Algorithm) -> list[DecisionCondition]:
    """The conditions of the algorithm's current go-live decision (open and fulfilled),
    in one query: the tracked work a conditional go left the team."""
    return list(DecisionCondition.objects.of_current_go_live(algorithm).select_related("owner"))


def row_context(
    algorithm: Algorithm, access: Access, row: Row, members: list, today: date, next_url: str
) -> dict:
    """One row of the checklist page (its htmx response), with fresh progress figures."""
    return {
        "next_url": next_url,
        "algorithm": algorithm,
        "access": access,
        "row": row,
        **row_parts(algorithm, access, members, today),
        "progress": progress_for(algorithm.items.all(), today),
        "today": today,
        "oob": True,
    }


def page_row(algorithm: Algorithm, pk: int, today: date) -> Row:
    """One row of the checklist page, with its item (its cells are rendered anew)."""
    item = algorithm.items.for_checklist_page(today).get(pk=pk)
    update_url = reverse("checklist:update", args=[algorithm.slug, pk])
    return Row.from_item(item, item=item, update_url=update_url)


def item_context(
    algorithm: Algorithm,
    access: Access,
    item: ChecklistItem,
    *,
    members: list | None = None,
    item_form: ItemForm | None = None,
    instruction_form: InstructionForm | None = None,
    comment_form: CommentForm | None = None,
    decision_form: DecisionForm | None = None,
    conflict: list[str] | None = None,
    next_url: str = "",
) -> dict:
    """Everything the item page shows; pass a bound form to show its errors instead."""
    catalog_item = item.catalog_item
    # Criteria of the content pack link into the Algoritmekader the algorithm follows.
    links = link_for(algorithm.release)
    members = members if members is not None else members_of(algorithm)
    evidence = list(item.evidence.select_related("added_by", "withdrawn_by"))
    risks = list(item.risks.select_related("owner", "accepted_by", "created_by"))
    decisions = list(item.decisions.select_related("decided_by"))
    comments = list(item.comments.select_related("author"))
    return {
        "algorithm": algorithm,
        "access": access,
        "item": item,
        "catalog_item": catalog_item,
        "body": item_body(catalog_item, algorithm.release),
        "instruction_html": render_instruction(item, links),
        "reasons": reason_texts(item.reasons),
        "item_form": item_form or ItemForm.for_item(item, members),
        "instruction_form": instruction_form or InstructionForm.for_item(item),
        "comment_form": comment_form or CommentForm(),
        "decision_form": decision_form or DecisionForm(),
        "conflict": conflict or [],
        "next_url": next_url,
        "evidence": evidence,
        "risks": risks,
        "decisions": decisions,
        "comments": comments,
        "entries": item_trail(algorithm, item, evidence, risks, decisions, comments),
        # For the partials of the evidence and risks concerns (their add forms).
        "evidence_form": EvidenceForm(),
        "risk_form": RiskForm(algorithm=algorithm),
    }


def render_instruction(item: ChecklistItem, links):
    """The work instruction as sanitised HTML (the catalog bodies' renderer), or ''."""
    if not item.work_instruction.strip():
        return ""
    folder = posixpath.dirname(item.catalog_item.path)
    source = posixpath.join(folder, "werkinstructie.md")  # its own heading-id prefix
    return render_body(
        item.work_instruction, source_path=source, link_for=links, app_images_only=True
    )


def item_trail(algorithm, item, evidence, risks, decisions, comments):
    """Audit entries of the item and of its evidence, risks, decisions and comments."""
    query = Q()
    for model, objects in (
        (ChecklistItem, [item]),
        (Evidence, evidence),
        (ResidualRisk, risks),
        (ItemDecision, decisions),
        (Comment, comments),
    ):
        if objects:
            query |= Q(
                object_type=model._meta.label_lower,
                object_id__in=[str(obj.pk) for obj in objects],
            )
    return list(
        AuditEntry.objects.filter(algorithm=algorithm)
        .filter(query)
        .select_related("actor")
        .order_by("-seq")[:AUDIT_ENTRIES_SHOWN]
    )
