"""``manage.py bench_dashboards``: time the dashboards on a seeded database (see
bin/bench-dashboards, which seeds 1,000 algorithms first).

Each page is requested ``--requests`` times (after a warm-up) with the Django test
client by a manager who may read every algorithm (a portfolio viewer of every
organisation: the worst case); server-side time is measured around ``client.get``
and queries are counted with CaptureQueriesContext. The database is analysed first
(fresh planner statistics, as autovacuum keeps them). One line per page:
``<name> median_ms=<x> p95_ms=<y> queries=<n>``.
"""

import math
import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker.algorithms.models import Algorithm
from tracker.organisations.models import Organisation, OrganisationMembership

BENCH_USER = "bench-manager"
WARM_UP = 3


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Time the portfolio, heatmap and per-algorithm dashboard on a seeded database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=50, help="per page (default 50)")

    def handle(self, *args, requests: int, **options) -> None:
        if not Algorithm.objects.exists():
            raise CommandError("no algorithms: run manage.py seed_demo --algorithms 1000 first")
        self._analyze()
        client = Client()
        client.force_login(self._manager())
        biggest = (
            Algorithm.objects.annotate(n=Count("items", filter=Q(items__retired_at__isnull=True)))
            .order_by("-n", "pk")
            .first()
        )
        portfolio = reverse("dashboards:portfolio")
        pages = [
            ("portfolio_first_page", portfolio),
            (
                "portfolio_filtered",
                portfolio + "?fase=implementatie&stap=pilot&blokkades=ja&sorteer=-blokkades",
            ),
            ("risk_heatmap", reverse("dashboards:risks")),
            ("algorithm_dashboard", reverse("algorithm_dashboard:detail", args=[biggest.slug])),
        ]
        self.stdout.write(
            f"# {connection.vendor}: {Algorithm.objects.count()} algorithms; "
            f"dashboard of {biggest.slug} ({biggest.n} items); {requests} requests each"
        )
        for name, url in pages:
            self._measure(client, name, url, requests)

    def _analyze(self) -> None:
        """Fresh planner statistics after the bulk seed, as a running database has them
        (autovacuum); on PostgreSQL also the visibility map for index-only scans."""
        statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(statement)

    def _manager(self):
        user, _ = get_user_model().objects.get_or_create(username=BENCH_USER)
        for organisation in Organisation.objects.all():
            OrganisationMembership.objects.update_or_create(
                organisation=organisation, user=user, defaults={"is_portfolio_viewer": True}
            )
        return user

    def _measure(self, client: Client, name: str, url: str, requests: int) -> None:
        for _ in range(WARM_UP):
            self._get(client, url)
        timings, cpu, queries = [], [], 0
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.process_time()
                self._get(client, url)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            queries = len(captured)
        self.stdout.write(
            f"{name} median_ms={statistics.median(timings):.1f} "
            f"p95_ms={percentile(timings, 0.95):.1f} queries={queries}"
        )
        # CPU time of this process only (not the database server's, not time spent
        # waiting for a CPU): tells the app's own cost apart from a busy machine.
        self.stdout.write(
            f"# {name} cpu_median_ms={statistics.median(cpu):.1f} "
            f"cpu_p95_ms={percentile(cpu, 0.95):.1f} load_1min={os.getloadavg()[0]:.1f}"
        )

    @staticmethod
    def _get(client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url}: HTTP {response.status_code}")
