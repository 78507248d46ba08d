"""``manage.py bench_dossier``: time and measure the PDF audit dossier of a large
algorithm (default 200 checklist items, 500 evidence entries).

The data is built in the configured database inside a transaction that is rolled
back afterwards, so no trace is left. Printed:

    dossier_pdf seconds=<x> cpu_seconds=<c> peak_mb=<y> pages=<n>

``seconds`` (wall clock) covers collecting the dossier (queries) and rendering the PDF;
``cpu_seconds`` is the same span in CPU time, of this process and of the Typst child
process together (``collect_cpu`` + ``typeset_cpu``, the latter from
RUSAGE_CHILDREN), which a busy machine inflates less. ``peak_mb`` is the larger of the
two processes' peak resident set sizes (ru_maxrss): ``worker_mb`` for this process,
Django and the benchmark's own data included (``before_mb``: the same just before the
dossier is built), ``typesetter_mb`` for the Typst child.
"""

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, reset_queries, transaction

from tracker.exports.benchdata import build_bench_algorithm
from tracker.exports.dossier import build_dossier
from tracker.exports.pdf import AUDIT_ENTRIES_IN_PDF, render_pdf

TARGET_CPU_SECONDS = 1.5  # issue 14: Typst instead of WeasyPrint (was 5 s wall)
TARGET_MB = 250.0


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS of this process (or of its largest finished child, RUSAGE_CHILDREN);
    ru_maxrss is in KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
                child_start = children_cpu()
                dossier = build_dossier(
                    data.algorithm, generated_by="bench_dossier", audit_limit=AUDIT_ENTRIES_IN_PDF
                )
                collected = time.perf_counter() - start
                collect_cpu = time.process_time() - cpu_start
                queries = len(connection.queries)
                rendered = render_pdf(dossier)
                seconds = time.perf_counter() - start
                typeset_cpu = children_cpu() - child_start
                cpu_seconds = time.process_time() - cpu_start + typeset_cpu
                raise _Rollback
        except _Rollback:
            pass
        peak = peak_rss_mb()
        typesetter_mb = peak_rss_mb(resource.RUSAGE_CHILDREN)
        if output:
            with open(output, "wb") as handle:
                handle.write(rendered.content)
        self.stdout.write(
            f"dossier_pdf seconds={seconds:.2f} cpu_seconds={cpu_seconds:.2f} "
            f"peak_mb={max(peak, typesetter_mb):.0f} pages={rendered.pages}"
        )
        within = cpu_seconds <= TARGET_CPU_SECONDS and max(peak, typesetter_mb) <= TARGET_MB
        self.stdout.write(
            f"items={data.items} evidence={data.evidence} collect_seconds={collected:.2f} "
            f"collect_cpu={collect_cpu:.2f} typeset_cpu={typeset_cpu:.2f} "
            f"worker_mb={peak:.0f} typesetter_mb={typesetter_mb:.0f} "
            f"queries={queries if queries else 'n/a (DEBUG off)'} before_mb={before:.0f} "
            f"size_kb={len(rendered.content) // 1024} "
            f"targets={'met' if within else 'MISSED'} "
            f"(CPU <= {TARGET_CPU_SECONDS} s, peak <= {TARGET_MB:.0f} MB)"
        )
