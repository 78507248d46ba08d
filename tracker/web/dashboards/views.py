"""Dashboards for managers: the portfolio, its CSV export, the residual-risk heatmap and
its risk list, and the per-algorithm dashboard. Read-only, GET only.

Who sees what: the portfolio pages list only the algorithms the user may read
(``visible_algorithms``: member, or portfolio viewer of the organisation); the
per-algorithm dashboard checks access with ``get_algorithm_for_user`` first.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.access import Capability, get_algorithm_for_user
from tracker.dashboards import charts
from tracker.dashboards.export import csv_lines
from tracker.dashboards.figure_cache import FigureCache
from tracker.dashboards.filters import RiskFilterForm, organisations_of, visible_algorithms
from tracker.dashboards.portfolio import Overview
from tracker.http import HtmxHttpRequest
from tracker.pages.dashboard import dashboard_context
from tracker.pages.portfolio import all_rows, history, portfolio_page, topics
from tracker.risks.models import ResidualRisk

PER_PAGE = 50


@login_required
@require_GET
def portfolio(request: HtmxHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cached = FigureCache(today)
    built = portfolio_page(request.user, request.GET, request.GET.get("pagina"), today, cached)
    form, page, scope = built.form, built.page, built.scope
    base = reverse("dashboards:portfolio")
    summed = built.totals
    # Per topic, added up over the scope: cached per version of the data, as the charts.
    per_topic = cached.get("topics", scope, lambda: topics(scope))
    figures = Overview(summed.progress, summed.requirements, per_topic)
    context = {
        "form": form,
        "page": page,
        "rows": built.rows,
        "figures": figures,
        "totals": built.totals,
        "status_links": [
            (key, label, n, base + form.query(status=key, pagina=None))
            for key, label, n in built.totals.statuses
        ],
        "unaccepted_risks": built.totals.unaccepted_risks,
        "columns": form.columns(),
        "portfolio_url": base,
        "today": today,
        "funnel": charts.phase_funnel(
            built.funnel, lambda **o: base + form.query(pagina=None, **o)
        ),
        "topic_chart": charts.readiness_bars([(t, p, "") for _, t, p in figures.topics]),
        "over_time": charts.readiness_over_time(
            cached.get("history", scope, lambda: history(scope, today), snapshots=True)
        ),
        # The charts and the filter form are cached as rendered: the charts per version
        # of the data (as their figures), the form per query and organisation choices.
        "charts_key": cached.fragment_key(
            "charts", scope, extra=form.query(pagina=None), snapshots=True
        ),
        "filters_key": form.cache_key(),
        "export_url": reverse("dashboards:export") + form.query(pagina=None),
        "heatmap_url": reverse("dashboards:risks")
        + form.query(blokkades=None, pilot_dagen=None, sorteer=None, status=None),
        "previous_query": form.query(pagina=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_query": form.query(pagina=page.next_page_number()) if page.has_next() else "",
    }
    template = "dashboards/portfolio.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@login_required
@require_GET
def export(request: HtmxHttpRequest) -> StreamingHttpResponse:
    today = timezone.localdate()
    rows = all_rows(request.user, request.GET, today)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"portfolio-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _risks(request: HtmxHttpRequest, today):
    algorithms = visible_algorithms(request.user)
    form = RiskFilterForm(request.GET, organisations=organisations_of(algorithms))
    risks = ResidualRisk.objects.filter(
        item__retired_at__isnull=True,
        item__algorithm__in=form.apply(algorithms).order_by().values("pk"),
    )
    acceptance = form.value("acceptatie")
    if acceptance == RiskFilterForm.OPEN:
        risks = risks.unaccepted(today)
    elif acceptance == RiskFilterForm.ACCEPTED:
        risks = risks.accepted(today)
    return form, risks


@login_required
@require_GET
def risks(request: HtmxHttpRequest) -> HttpResponse:
    """The residual-risk heatmap: likelihood x impact with counts, each cell a link."""
    today = timezone.localdate()
    form, found = _risks(request, today)
    cells = found.order_by().values("likelihood", "impact").annotate(n=Count("pk"))
    counts = FigureCache(today).get(
        "heatmap",
        cells,
        lambda: {(row["likelihood"], row["impact"]): row["n"] for row in cells},
    )
    base = reverse("dashboards:risk_list")

    def url_for(likelihood: int, impact: int) -> str:
        return base + form.query(likelihood=likelihood, impact=impact, pagina=None)

    context = {
        "form": form,
        "heatmap": charts.heatmap(counts, url_for),
        "list_url": base + form.query(likelihood=None, impact=None),
        "portfolio_url": reverse("dashboards:portfolio")
        + form.query(acceptatie=None, likelihood=None, impact=None),
    }
    template = "dashboards/risks.html"
    return render(request, f"{template}#heatmap" if request.htmx else template, context)


@login_required
@require_GET
def risk_list(request: HtmxHttpRequest) -> HttpResponse:
    """The risks behind the heatmap, optionally of one cell (likelihood and impact)."""
    today = timezone.localdate()
    form, found = _risks(request, today)
    for field in ("likelihood", "impact"):
        if (value := form.cleaned_data.get(field)) is not None:
            found = found.filter(**{field: value})
    found = found.select_related("item__algorithm", "item__catalog_item", "owner").order_by(
        "-likelihood", "-impact", "item__algorithm__name", "pk"
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "page": page,
        "today": today,
        "heatmap_url": reverse("dashboards:risks") + form.query(likelihood=None, impact=None),
        "previous_query": form.query(pagina=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_query": form.query(pagina=page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "dashboards/risk_list.html", context)


@login_required
@require_GET
def algorithm_dashboard(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    return render(request, "dashboards/algorithm.html", dashboard_context(algorithm, access))
