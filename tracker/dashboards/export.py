"""The portfolio table as CSV: a stable header, one line per algorithm, streamed."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone

from tracker.dashboards.portfolio import PortfolioRow

HEADER = (
    "algoritme",
    "slug",
    "organisatie",
    "fase",
    "stap",
    "gereed_procent",
    "gereed",
    "van_toepassing",
    "vereisten_gereed_procent",
    "vereisten_gereed",
    "vereisten_van_toepassing",
    "blokkades_go_live",
    "te_laat",
    "restrisicos_niet_geaccepteerd",
    "laatste_besluit",
    "laatste_besluit_datum",
    "dagen_in_pilot",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line (for StreamingHttpResponse)."""

    def write(self, value: str) -> str:
        return value


def _text(value: str) -> str:
    """Free text as a value, never a spreadsheet formula."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def csv_line(row: PortfolioRow) -> list:
    algorithm, last = row.algorithm, row.last_decision
    return [
        _text(algorithm.name),
        algorithm.slug,
        _text(algorithm.organisation.name),
        algorithm.get_phase_display(),
        algorithm.get_stage_display() if algorithm.stage else "",
        row.progress.percent_ready,
        row.progress.ready,
        row.progress.total,
        row.requirements.percent_ready,
        row.requirements.ready,
        row.requirements.total,
        row.blockers,
        row.overdue,
        row.unaccepted_risks,
        f"{last.gate_label}: {last.outcome_label}" if last else "",
        timezone.localtime(last.decided_at).date().isoformat() if last else "",
        "" if row.days_in_pilot is None else row.days_in_pilot,
    ]


def csv_lines(rows: Iterable[PortfolioRow]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(csv_line(row))
