"""The aid's pages: question by question, the result with the checklist preview, and
applying it to an algorithm.

The answers so far travel in the query string (``?v=<tree>&a=0&a=4``): every step is
a plain GET that changes nothing, works without JavaScript, and can be bookmarked or
gone back on. htmx swaps the question region (``#question``) only. Applying is a POST.
Without an algorithm (``decision_aid:start``) the aid shows the profile it gives but
applies nothing: the start URL the catalog's upstream links can point at.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from tracker.access import Capability, get_algorithm_for_user
from tracker.algorithms import actions
from tracker.decision_aid import runs
from tracker.decision_aid.html import clean
from tracker.decision_aid.models import DecisionTree
from tracker.decision_aid.pages import Answers, label_rows, question_context
from tracker.decision_aid.profile import content_labels
from tracker.decision_aid.walk import WalkError
from tracker.http import HtmxHttpRequest

STALE_STATUS = 409


def _tree(request) -> DecisionTree:
    raw = request.GET.get("v") or request.POST.get("v")
    if raw:
        if not raw.isdigit():
            raise Http404("Onbekende versie van de beslishulp")
        return get_object_or_404(DecisionTree, pk=int(raw))
    tree = DecisionTree.objects.current()
    if tree is None:
        raise Http404("De beslishulp is nog niet geïmporteerd")
    return tree


def _context(request, slug: str | None) -> dict:
    if slug is None:
        return {"algorithm": None, "access": None, "base": "decision_aid:"}
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    return {"algorithm": algorithm, "access": access}


def _url(name: str, slug: str | None, query: str = "") -> str:
    if slug is None:
        url = reverse(f"decision_aid:{name}")
    else:
        url = reverse(f"decision_aid:algorithm_{name}", args=[slug])
    return f"{url}?{query}" if query else url


@login_required
@require_GET
def start(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    context = _context(request, slug)
    tree = DecisionTree.objects.current()
    context.update(
        tree=tree,
        question_url=_url("question", slug, f"v={tree.pk}") if tree else "",
        latest_run=(
            context["algorithm"].decision_aid_runs.select_related("tree").first()
            if context["algorithm"]
            else None
        ),
    )
    return render(request, "decision_aid/start.html", context)


def _walk(request, slug, context: dict):
    """(answers, walk result) for the answers in the query string, or the 400 page that
    says what is wrong with them."""
    tree = _tree(request)
    try:
        answers = Answers.from_query(request.GET, tree)
        return answers, answers.walk()
    except WalkError as error:
        context.update(tree=tree, error=str(error), start_url=_url("start", slug))
        return render(request, "decision_aid/question.html", context, status=400)


@login_required
@require_GET
def question(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    context = _context(request, slug)
    outcome = _walk(request, slug, context)
    if isinstance(outcome, HttpResponse):
        return outcome
    answers, result = outcome
    if result.is_done:
        target = _url("result", slug, answers.query())
        if request.htmx:  # the result is a page of its own, not a region to swap
            return HttpResponseClientRedirect(target)
        return redirect(target)
    context.update(question_context(answers, result))
    context.update(
        action=_url("question", slug),
        back_url=_url("question", slug, context["back_query"]) if context["back_query"] else "",
        start_url=_url("start", slug),
    )
    template = "decision_aid/question.html"
    if request.htmx:
        template += "#question"
    return render(request, template, context)


@login_required
@require_GET
def result(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    context = _context(request, slug)
    outcome = _walk(request, slug, context)
    if isinstance(outcome, HttpResponse):
        return outcome
    answers, walked = outcome
    if not walked.is_done:
        return redirect(_url("question", slug, answers.query()))
    return _result(request, context, slug, answers, walked)


def _result(request, context: dict, slug, answers: Answers, walked, status: int = 200):
    """The result page: conclusion, obligations, profile and (for an algorithm) the
    checklist preview with the confirm form."""
    tree = answers.tree
    context.update(
        tree=tree,
        walk=walked,
        conclusion=walked.conclusion,
        obligation=clean(walked.conclusion.obligation),
        label_rows=label_rows(content_labels(walked.labels)),
        back_url=_url("question", slug, answers.query(drop_last=True)),
        hidden=[("v", tree.pk), *(("a", n) for n in answers.choices)],
    )
    algorithm = context["algorithm"]
    if algorithm is not None:
        try:
            values, plan = runs.preview(algorithm, walked)
        except ValueError as error:  # the tree gave no complete profile
            context["profile_error"] = str(error)
        else:
            context.update(plan=plan, values=values, version=algorithm.version)
    return render(request, "decision_aid/result.html", context, status=status)


@login_required
@require_POST
def apply(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.MANAGE)
    tree = _tree(request)
    try:
        answers = Answers.from_query(request.POST, tree)
        walked = answers.walk()
    except WalkError as error:
        messages.error(request, f"De antwoorden passen niet bij de beslishulp: {error}")
        return redirect(_url("start", slug))
    if not walked.is_done:
        return redirect(_url("question", slug, answers.query()))
    version = request.POST.get("version", "")
    try:
        run = runs.store_and_apply(
            algorithm,
            tree,
            walked,
            actor=request.user,
            version=int(version) if version.isdigit() else 0,
        )
    except ValueError as error:
        messages.error(request, f"De uitkomst geeft geen volledig AI-profiel: {error}")
        return redirect(_url("result", slug, answers.query()))
    except actions.StaleVersionError as error:
        context = {"algorithm": error.algorithm, "access": access, "stale": True}
        return _result(request, context, slug, answers, walked, status=STALE_STATUS)
    messages.success(
        request,
        f"De uitkomst van de beslishulp ({tree.label}) is vastgelegd en het AI-profiel is "
        f"bijgewerkt: {run.conclusion_id}.",
    )
    return redirect(algorithm)
