"""Assembling the portfolio page: which algorithms, in which order, with which figures.

The figures are the maintained ones (tracker.dashboards.figures: one row per algorithm,
recomputed in the transaction of every change), so the database filters, sorts and
pages, and only the 50 rows shown are read, whatever the number of algorithms. The
summary line adds up the maintained rows of every filtered algorithm (one aggregate
query); the topic chart and the line over time come from the figure cache.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Max, Q, QuerySet, Sum
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import ContentRelease
from tracker.checklist.progress import Progress
from tracker.dashboards.figure_cache import FigureCache
from tracker.dashboards.figures import FIELDS as FIGURE_FIELDS
from tracker.dashboards.figures import ensure_fresh, stored_row
from tracker.dashboards.filters import (
    PortfolioFilterForm,
    organisations_of,
    visible_algorithms,
)
from tracker.dashboards.models import (
    AlgorithmFigures,
    AlgorithmStatus,
    AlgorithmTopicFigures,
    ReadinessSnapshot,
)
from tracker.dashboards.portfolio import PortfolioRow, register_titles
from tracker.gates.rules import unaccepted_risks

PER_PAGE = 50
HISTORY_DAYS = 90
HISTORY_STEP = 7  # one point a week (and today) for the readiness-over-time chart


@dataclass(frozen=True)
class Totals:
    """The summary over every filtered algorithm, added up from the maintained rows."""

    progress: Progress
    requirements: Progress
    unaccepted_risks: int
    statuses: list[tuple[str, str, int]]  # (key, label, algorithms) in AlgorithmStatus order
    count: int  # algorithms


@dataclass(frozen=True)
class PortfolioPage:
    form: PortfolioFilterForm
    page: Page
    rows: list[PortfolioRow]  # the rows of this page
    scope: QuerySet  # every filtered algorithm (pks), for the charts
    funnel: Counter  # (phase, stage) -> algorithms
    totals: Totals


def totals(scope: QuerySet) -> Totals:
    """Sums and status counts over the maintained rows of the algorithms (one query)."""
    statuses = {f"n_{key}": Count("pk", filter=Q(status=key)) for key in AlgorithmStatus.values}
    sums = AlgorithmFigures.objects.filter(algorithm__in=scope).aggregate(
        **{
            name: Sum(name)
            for name in (
                "total",
                "done",
                "not_applicable",
                "overdue",
                "req_total",
                "req_done",
                "req_not_applicable",
                "unaccepted_risks",
            )
        },
        **statuses,
        count=Count("pk"),
    )
    n = {name: value or 0 for name, value in sums.items()}
    return Totals(
        progress=Progress(
            total=n["total"],
            done=n["done"],
            not_applicable=n["not_applicable"],
            overdue=n["overdue"],
        ),
        requirements=Progress(
            total=n["req_total"], done=n["req_done"], not_applicable=n["req_not_applicable"]
        ),
        unaccepted_risks=n["unaccepted_risks"],
        statuses=[(key, label, n[f"n_{key}"]) for key, label in AlgorithmStatus.choices],
        count=n["count"],
    )


def unaccepted_risk_count(scope, today: date) -> int:
    """Residual risks without a valid acceptance (as the gate counts them) of every
    algorithm in ``scope``. Filtered on an expression of the algorithm, not the indexed
    column, so that the database walks the (few) risks rather than every item of the
    algorithms (SQLite: 12 ms -> 4 ms at 1,000 algorithms)."""
    algorithm = ExpressionWrapper(F("item__algorithm_id") + 0, IntegerField())
    return unaccepted_risks(today).alias(of=algorithm).filter(of__in=scope).count()


def history(scope, today: date) -> list[dict]:
    """Totals per day of the readiness snapshots, one point a week up to today. Filtered
    on an expression of the algorithm, not the indexed column, so that the database reads
    the 13 days along the covering (date, algorithm, figures) index instead of probing the
    unique (algorithm, date) index once per algorithm."""
    days = [today - timedelta(days=n) for n in range(0, HISTORY_DAYS, HISTORY_STEP)]
    algorithm = ExpressionWrapper(F("algorithm_id") + 0, IntegerField())
    return list(
        ReadinessSnapshot.objects.alias(of=algorithm)
        .filter(of__in=scope, date__in=days)
        .totals_per_day()
    )


def _page_number(raw) -> str:
    return raw if isinstance(raw, str) and raw.isdigit() else "1"


def topics(scope: QuerySet) -> list[tuple[str, str, Progress]]:
    """(slug, title, progress) per topic over the algorithms, by title: the maintained
    figures per topic added up (one query)."""
    names = ("total", "done", "not_applicable", "overdue")
    rows = (
        AlgorithmTopicFigures.objects.filter(algorithm__in=scope)
        .order_by()
        .values("slug")
        .annotate(topic_title=Max("title"), **{f"sum_{name}": Sum(name) for name in names})
    )
    found = [
        (row["slug"], row["topic_title"], Progress(**{n: row[f"sum_{n}"] or 0 for n in names}))
        for row in rows
    ]
    return sorted(found, key=lambda entry: entry[1].lower())


def _filtered(user, params, today: date) -> tuple[PortfolioFilterForm, QuerySet]:
    visible = visible_algorithms(user)
    form = PortfolioFilterForm(params, organisations=organisations_of(visible))
    algorithms = form.apply(visible)
    ensure_fresh(algorithms, today)
    return form, form.apply_figures(algorithms, today)


def _rows(algorithms, today: date) -> list[PortfolioRow]:
    """The rows of the given algorithms (with their maintained figures), in order."""
    listed = list(algorithms)
    newest = ContentRelease.latest()
    titles = register_titles(listed)
    return [stored_row(algorithm, today, newest, titles) for algorithm in listed]


ROW_FIELDS = (
    "name",
    "slug",
    "phase",
    "stage",
    "organisation__name",
    "organisation__slug",
    "release__label",
    "release__version_key",
)


def _with_figures(algorithms: QuerySet) -> QuerySet:
    return (
        algorithms.select_related("figures", "organisation", "release")
        .only(*ROW_FIELDS, *(f"figures__{name}" for name in FIGURE_FIELDS))
        .annotate(register_changed_fields=F("register_entry__changed_fields"))
    )


def _funnel(algorithms: QuerySet) -> Counter:
    """(phase, stage) -> number of algorithms."""
    rows = algorithms.order_by().values("phase", "stage").annotate(n=Count("pk"))
    return Counter({(row["phase"], row["stage"]): row["n"] for row in rows})


def portfolio_page(
    user, params, page_number, today: date | None = None, figures: FigureCache | None = None
) -> PortfolioPage:
    today = today or timezone.localdate()
    form, algorithms = _filtered(user, params, today)
    scope = algorithms.order_by().values("pk")
    # The totals and the funnel add up every filtered algorithm's row: kept per version
    # of the data, day and scope (as the charts), so a view does not add them up again.
    figures = figures or FigureCache(today)
    summed = figures.get("totals", scope, lambda: totals(scope))
    # The database sorts the ids alone (narrow rows), then the 50 of the page are read
    # with their figures; the count comes with the totals.
    paginator = Paginator(
        algorithms.order_by(*form.db_order()).values_list("pk", flat=True), PER_PAGE
    )
    paginator.count = summed.count
    page = paginator.get_page(_page_number(page_number))
    ids = list(page.object_list)
    found = {row.pk: row for row in _with_figures(Algorithm.objects.filter(pk__in=ids))}
    rows = _rows([found[pk] for pk in ids], today)
    funnel = figures.get("funnel", scope, lambda: _funnel(algorithms))
    return PortfolioPage(form, page, rows, scope, funnel, summed)


def all_rows(user, params, today: date | None = None) -> list[PortfolioRow]:
    """Every row of the filtered, sorted portfolio (the CSV export)."""
    today = today or timezone.localdate()
    form, algorithms = _filtered(user, params, today)
    return _rows(_with_figures(algorithms.order_by(*form.db_order())), today)
