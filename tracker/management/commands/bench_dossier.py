"""``manage.py bench_dossier``: time and measure the PDF audit dossier of a large
algorithm (default 200 checklist items, 500 evidence entries).

The data is built in the configured database inside a transaction that is rolled
back afterwards, so no trace is left. Printed:

    dossier_pdf seconds=<x> peak_mb=<y> pages=<n>

``seconds`` (wall clock) covers collecting the dossier (queries) and rendering the PDF;
the second line adds ``cpu_seconds``, the same span in CPU time of this process, which
a busy machine does not inflate. ``peak_mb``
is the process's peak resident set size (resource.getrusage ru_maxrss): what a web
worker would need, including Django and the benchmark's own data; ``before_mb`` is
the same figure just before the dossier is built.
"""

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries, transaction

from tracker.exports.benchdata import build_bench_algorithm
from tracker.exports.dossier import build_dossier
from tracker.exports.pdf import AUDIT_ENTRIES_IN_PDF, render_pdf

TARGET_SECONDS = 5.0
TARGET_MB = 400.0


def peak_rss_mb() -> float:
    """Peak RSS of this process; ru_maxrss is in KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class _Rollback(Exception):
    """Raised to leave the benchmark's transaction without committing."""


class Command(BaseCommand):
    help = "Time the PDF dossier of a generated algorithm (rolled back afterwards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--items", type=int, default=200)
        parser.add_argument("--evidence", type=int, default=500)
        parser.add_argument("-o", "--output", help="also write the PDF to this file")

    def handle(self, *args, items: int, evidence: int, output: str | None, **options) -> None:
        try:
            with transaction.atomic():
                data = build_bench_algorithm(items, evidence)
                before = peak_rss_mb()
                reset_queries()
                start, cpu_start = time.perf_counter(), time.process_time()
                dossier = build_dossier(
                    data.algorithm, generated_by="bench_dossier", audit_limit=AUDIT_ENTRIES_IN_PDF
                )
                collected = time.perf_counter() - start
                queries = len(connection.queries)
                rendered = render_pdf(dossier)
                seconds = time.perf_counter() - start
                cpu_seconds = time.process_time() - cpu_start
                raise _Rollback
        except _Rollback:
            pass
        peak = peak_rss_mb()
        if output:
            with open(output, "wb") as handle:
                handle.write(rendered.content)
        self.stdout.write(
            f"dossier_pdf seconds={seconds:.2f} peak_mb={peak:.0f} pages={rendered.pages}"
        )
        within = seconds < TARGET_SECONDS and peak < TARGET_MB
        self.stdout.write(
            f"items={data.items} evidence={data.evidence} collect_seconds={collected:.2f} "
            f"cpu_seconds={cpu_seconds:.2f} "
            f"queries={queries if queries else 'n/a (DEBUG off)'} before_mb={before:.0f} "
            f"size_kb={len(rendered.content) // 1024} "
            f"targets={'met' if within else 'MISSED'} "
            f"(<{TARGET_SECONDS:.0f} s, <{TARGET_MB:.0f} MB)"
        )
