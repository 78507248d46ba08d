"""``manage.py bench_dashboards``: time the dashboards on a seeded database (see
bin/bench-dashboards, which seeds 1,000 algorithms first).

Each page is requested ``--requests`` times (after a warm-up) with the Django test
client by a manager who may read every algorithm (a portfolio viewer of every
organisation: the worst case); server-side time is measured around ``client.get``
and queries are counted with CaptureQueriesContext. The pages are requested in turn,
round after round, together with a floor page (tracker/management/bench_urls.py: the
base layout and one query), so that each page's time is also given as a ratio to the
floor measured under the same load. The database is analysed first (fresh planner
statistics, as autovacuum keeps them). One line per page:
``<name> median_ms=<x> p95_ms=<y> floor_ratio=<r> queries=<n>``; ``--json FILE`` also
writes the figures, which bin/bench-dashboards uses to compare two sizes.
"""

import math
import os
import statistics
import time
from json import dump

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, reverse

from tracker.algorithms.models import Algorithm, Membership
from tracker.management.bench_urls import FLOOR_NAME
from tracker.organisations.models import Organisation, OrganisationMembership

BENCH_USER = "bench-manager"
BENCH_EDITOR = "bench-editor"
BENCH_URLCONF = "tracker.management.bench_urls"
FLOOR = "floor"
COLD = "uncached_"
EDITOR = "editor_"  # the page as a team member who edits sees it
WARM_UP = 3
# What an uncached page runs without: the portfolio's figures, or the checklist's kept cells
# and rows.
COLD_CACHES = {
    COLD + "portfolio_first_page": ("figures",),
    COLD + "risk_heatmap": ("figures",),
    COLD + "checklist": ("fragments", "pages"),
}


def _emptied(store):
    """Empty a LocMemCache and return what it held (for ``_restored``); another
    backend is only cleared."""
    if not hasattr(store, "_lock"):
        store.clear()
        return None
    with store._lock:
        saved = (store._cache.copy(), dict(store._expire_info))
        store._cache.clear()
        store._expire_info.clear()
    return saved


def _restored(store, saved) -> None:
    if saved is None:
        return
    with store._lock:
        store._cache.clear()
        store._expire_info.clear()
        store._cache.update(saved[0])
        store._expire_info.update(saved[1])


def _by_checklist_size():
    """The algorithms with ``n``, their number of current checklist items."""
    return Algorithm.objects.annotate(n=Count("items", filter=Q(items__retired_at__isnull=True)))


def _median_checklist() -> Algorithm:
    """The algorithm with the median number of current checklist items (``n``)."""
    counted = _by_checklist_size().order_by("n", "pk")
    return counted[(counted.count() - 1) // 2]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Time the portfolio, heatmap, dashboard and checklist against a floor page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=50, help="per page (default 50)")
        parser.add_argument("--json", help="also write the figures to this file (JSON)")

    def handle(self, *args, requests: int, json: str | None, **options) -> None:
        if not Algorithm.objects.exists():
            raise CommandError("no algorithms: run manage.py seed_demo --algorithms 1000 first")
        self._analyze()
        with override_settings(ROOT_URLCONF=BENCH_URLCONF):
            clear_url_caches()
            try:
                figures = self._run(requests)
            finally:
                clear_url_caches()
        if json:
            with open(json, "w", encoding="utf-8") as handle:
                dump(figures, handle, indent=2)

    def _run(self, requests: int) -> dict:
        client = Client()
        client.force_login(self._manager())
        biggest = _by_checklist_size().order_by("-n", "pk").first()
        item = biggest.items.filter(retired_at__isnull=True).order_by("pk").first()
        typical = _median_checklist()
        # A team member who edits: every row has its save form (its CSRF token per request).
        editor = Client()
        editor.force_login(self._editor(biggest))
        clients = {EDITOR + "checklist": editor}
        portfolio = reverse("dashboards:portfolio")
        pages = [
            (FLOOR, reverse(FLOOR_NAME)),
            ("portfolio_first_page", portfolio),
            (
                "portfolio_filtered",
                portfolio + "?fase=implementatie&stap=pilot&blokkades=ja&sorteer=-blokkades",
            ),
            ("risk_heatmap", reverse("dashboards:risks")),
            # The same pages with the figure cache emptied first: the first view after a
            # write (tracker/dashboards/figure_cache.py).
            (COLD + "portfolio_first_page", portfolio),
            (COLD + "risk_heatmap", reverse("dashboards:risks")),
            ("algorithm_dashboard", reverse("algorithm_dashboard:detail", args=[biggest.slug])),
            ("checklist", reverse("checklist:list", args=[biggest.slug])),
            (EDITOR + "checklist", reverse("checklist:list", args=[biggest.slug])),
            # With the rows' cells emptied first (the first view after every row changed).
            (COLD + "checklist", reverse("checklist:list", args=[biggest.slug])),
            # A checklist of the median size, as a team mostly has.
            ("checklist_median", reverse("checklist:list", args=[typical.slug])),
            ("checklist_item", reverse("checklist:item", args=[biggest.slug, item.pk])),
        ]
        algorithms = Algorithm.objects.count()
        self.stdout.write(
            f"# {connection.vendor}: {algorithms} algorithms; dashboard and checklist of "
            f"{biggest.slug} ({biggest.n} items), median checklist {typical.slug} "
            f"({typical.n} items); {requests} interleaved requests per page; "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        for _ in range(WARM_UP):
            for name, url in pages:
                self._get(clients.get(name, client), url)
        samples = {name: {"wall": [], "cpu": [], "queries": 0} for name, _ in pages}
        # Round-robin: every round requests each page once, so a busy moment of the
        # machine falls on all pages alike and the ratios to the floor stay comparable.
        for _ in range(requests):
            for name, url in pages:
                cold = [caches[alias] for alias in COLD_CACHES.get(name, ())]
                saved = [_emptied(store) for store in cold]
                with CaptureQueriesContext(connection) as captured:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    self._get(clients.get(name, client), url)
                    samples[name]["wall"].append((time.perf_counter() - start) * 1000)
                    samples[name]["cpu"].append((time.process_time() - start_cpu) * 1000)
                samples[name]["queries"] = len(captured)
                # The warm pages stay warm: an emptied cache would make the next
                # round's "cached" request the first view after a write as well.
                for store, held in zip(cold, saved, strict=True):
                    _restored(store, held)
        floor = statistics.median(samples[FLOOR]["wall"])
        floor_cpu = statistics.median(samples[FLOOR]["cpu"])
        figures = {
            "vendor": connection.vendor,
            "algorithms": algorithms,
            "load": os.getloadavg()[0],
            "pages": {},
        }
        for name, _ in pages:
            wall, cpu = samples[name]["wall"], samples[name]["cpu"]
            median, median_cpu = statistics.median(wall), statistics.median(cpu)
            figures["pages"][name] = {
                "median_ms": median,
                "cpu_median_ms": median_cpu,
                "ratio": median / floor,
                "queries": samples[name]["queries"],
            }
            self.stdout.write(
                f"{name} median_ms={median:.1f} p95_ms={percentile(wall, 0.95):.1f} "
                f"floor_ratio={median / floor:.1f} queries={samples[name]['queries']}"
            )
            # CPU time of this process only (not the database server's, not time spent
            # waiting for a CPU): tells the app's own cost apart from a busy machine.
            self.stdout.write(
                f"# {name} cpu_median_ms={median_cpu:.1f} cpu_p95_ms={percentile(cpu, 0.95):.1f} "
                f"cpu_floor_ratio={median_cpu / floor_cpu:.1f}"
            )
        self.stdout.write(f"# load average after: {os.getloadavg()[0]:.1f}")
        return figures

    def _analyze(self) -> None:
        """Fresh planner statistics after the bulk seed, as a running database has them
        (autovacuum); on PostgreSQL also the visibility map for index-only scans."""
        postgres = connection.vendor == "postgresql"
        if postgres and connection.in_atomic_block:
            # PostgreSQL writes the statistics in place: a transaction that is rolled back
            # (a test's) would leave behind the statistics of rows that never existed, and
            # every later transaction on those tables would be planned for them.
            return
        statement = "VACUUM ANALYZE" if postgres else "ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(statement)

    def _manager(self):
        user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
        for organisation in Organisation.objects.all():
            OrganisationMembership.objects.update_or_create(
                organisation=organisation, user=user, defaults={"is_portfolio_viewer": True}
            )
        return user

    def _editor(self, algorithm: Algorithm):
        """A member of ``algorithm`` who may edit its checklist (a bijdrager)."""
        user, _ = get_user_model().objects.get_or_create(username=BENCH_EDITOR)
        Membership.objects.update_or_create(
            algorithm=algorithm, user=user, defaults={"role": Membership.Role.CONTRIBUTOR}
        )
        return user

    @staticmethod
    def _get(client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url}: HTTP {response.status_code}")
