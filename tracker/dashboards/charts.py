"""Chart data for server-rendered SVG: positions and sizes computed here, drawn by the
templates with SVG attributes only (the CSP forbids inline styles). Every chart also
carries its figures for a data table, its text alternative."""

import hashlib
import textwrap
from collections import Counter
from dataclasses import dataclass
from datetime import date

from tracker.algorithms.models import Algorithm
from tracker.catalog.phases import Phase
from tracker.checklist.progress import Progress, percent_of

BAR_WIDTH = 320  # px of the longest bar
ROW_HEIGHT = 26  # px of a row with a one-line label
LABEL_WIDTH = 260
LABEL_CHARS = 34  # characters of a label line that fit in LABEL_WIDTH at 13 px
LABEL_LINE = 15  # px between the lines of a wrapped label
BAR_HEIGHT = 16


def label_lines(label: str) -> tuple[str, ...]:
    """A label wrapped on words into lines that fit beside the bars: never clipped."""
    return tuple(textwrap.wrap(label, LABEL_CHARS)) or ("",)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the value as shown next to the bar
    width: int  # px
    y: int  # px, top of the row
    url: str = ""
    lines: tuple[str, ...] = ()  # the label wrapped (label_lines)

    @property
    def height(self) -> int:
        return ROW_HEIGHT + LABEL_LINE * (len(self.lines) - 1) if self.lines else ROW_HEIGHT

    @property
    def bar_y(self) -> int:
        return (self.height - BAR_HEIGHT) // 2

    @property
    def text_y(self) -> int:
        """Baseline of the value and of a one-line label: the middle of the row."""
        return self.height // 2 + 4

    @property
    def label_y(self) -> int:
        """Baseline of the label's first line, so that the lines centre on the bar."""
        return self.text_y - LABEL_LINE * (len(self.lines) - 1) // 2


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_WIDTH + 80
    label_width: int = LABEL_WIDTH


def bar_chart(entries: list[tuple[str, int, str, str]], scale_max: int | None = None) -> BarChart:
    """Horizontal bars for (label, value, text, url) entries; ``scale_max`` is the value
    of a full bar (the largest value when not given)."""
    top = scale_max if scale_max is not None else max((e[1] for e in entries), default=0)
    bars = []
    y = 0
    for label, value, text, url in entries:
        width = round(BAR_WIDTH * value / top) if top else 0
        bar = Bar(label, value, text, max(width, 1 if value else 0), y, url, label_lines(label))
        bars.append(bar)
        y += bar.height
    return BarChart(bars=bars, height=max(y, ROW_HEIGHT))


STAGE_LABELS = {
    Algorithm.Stage.PILOT: "pilot",
    Algorithm.Stage.PRODUCTION: "productie",
    Algorithm.Stage.NONE: "geen stap",
}


def phase_funnel(counts: Counter, query_for=None) -> BarChart:
    """Algorithms per lifecycle phase, and within implementatie per stage, in order;
    ``counts`` maps (phase, stage) to a number of algorithms."""
    entries = []
    for phase in Phase:
        if phase == Phase.IMPLEMENTATIE:
            for stage in (Algorithm.Stage.NONE, Algorithm.Stage.PILOT, Algorithm.Stage.PRODUCTION):
                n = counts.get((phase.value, stage.value), 0)
                if stage == Algorithm.Stage.NONE and not n:
                    continue
                url = query_for(fase=phase.value, stap=stage.value or None) if query_for else ""
                entries.append((f"{phase.label}: {STAGE_LABELS[stage]}", n, str(n), url))
        else:
            n = sum(v for (p, _), v in counts.items() if p == phase.value)
            url = query_for(fase=phase.value, stap=None) if query_for else ""
            entries.append((phase.label, n, str(n), url))
    return bar_chart(entries)


def readiness_bars(entries: list[tuple[str, Progress, str]]) -> BarChart:
    """Bars of percent ready (full bar = 100%) for (label, progress, url) entries."""
    return bar_chart(
        [
            (label, p.percent_ready, f"{p.percent_ready}% ({p.ready}/{p.total})", url)
            for label, p, url in entries
        ],
        scale_max=100,
    )


CELL = 64  # px per heatmap cell
AXIS = 36  # px for the axis labels
LIKELIHOOD = "Kans"
IMPACT = "Impact"


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    count: int
    x: int
    y: int
    fill: str
    url: str

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def text_fill(self) -> str:
        """White on the darkest cells, else black (contrast)."""
        return "#ffffff" if self.count and self.score >= 15 else "#1a1a1a"

    @property
    def text_x(self) -> int:
        return self.x + (CELL - 2) // 2

    @property
    def text_y(self) -> int:
        return self.y + CELL // 2 + 4


def _severity_fill(score: int, count: int) -> str:
    if not count:
        return "#f3f3f3"
    if score >= 15:
        return "#d52b1e"
    if score >= 8:
        return "#f29100"
    if score >= 4:
        return "#ffd24d"
    return "#8fce6b"


@dataclass(frozen=True)
class Heatmap:
    rows: list[list[Cell]]  # impact 5 (top) to 1, each likelihood 1 to 5
    total: int
    size: int = AXIS + 5 * CELL
    cell: int = CELL
    axis: int = AXIS

    @property
    def x_ticks(self) -> list[tuple[int, int]]:
        return [(n, AXIS + (n - 1) * CELL + CELL // 2) for n in range(1, 6)]

    @property
    def y_ticks(self) -> list[tuple[int, int]]:
        return [(n, (5 - n) * CELL + CELL // 2) for n in range(1, 6)]


def heatmap(counts: dict[tuple[int, int], int], url_for) -> Heatmap:
    """A 5x5 likelihood x impact grid; ``url_for(likelihood, impact)`` links a cell."""
    rows = []
    for impact in range(5, 0, -1):
        row = []
        for likelihood in range(1, 6):
            n = counts.get((likelihood, impact), 0)
            row.append(
                Cell(
                    likelihood=likelihood,
                    impact=impact,
                    count=n,
                    x=AXIS + (likelihood - 1) * CELL,
                    y=(5 - impact) * CELL,
                    fill=_severity_fill(likelihood * impact, n),
                    url=url_for(likelihood, impact),
                )
            )
        rows.append(row)
    return Heatmap(rows=rows, total=sum(counts.values()))


LINE_WIDTH = 560
LINE_HEIGHT = 180
PAD = 36


@dataclass(frozen=True)
class Point:
    day: date
    percent: int
    requirements_percent: int
    ready: int
    applicable: int
    x: int
    y: int
    y_requirements: int


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    polyline: str
    polyline_requirements: str
    width: int = LINE_WIDTH + 2 * PAD
    height: int = LINE_HEIGHT + 2 * PAD
    pad: int = PAD
    bottom: int = LINE_HEIGHT + PAD
    right: int = LINE_WIDTH + PAD

    @property
    def y_ticks(self) -> list[tuple[int, int]]:
        return [(p, PAD + LINE_HEIGHT - LINE_HEIGHT * p // 100) for p in (0, 50, 100)]

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


def readiness_over_time(days: list[dict]) -> LineChart:
    """Percent ready (all items and vereisten) per day, from ``totals_per_day`` rows."""
    span = max(len(days) - 1, 1)
    points = []
    for n, day in enumerate(days):
        percent = percent_of(day["ready"], day["applicable"])
        req = percent_of(day["requirements_ready"], day["requirements_applicable"])
        points.append(
            Point(
                day=day["date"],
                percent=percent,
                requirements_percent=req,
                ready=day["ready"],
                applicable=day["applicable"],
                x=PAD + LINE_WIDTH * n // span,
                y=PAD + LINE_HEIGHT - LINE_HEIGHT * percent // 100,
                y_requirements=PAD + LINE_HEIGHT - LINE_HEIGHT * req // 100,
            )
        )
    return LineChart(
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        polyline_requirements=" ".join(f"{p.x},{p.y_requirements}" for p in points),
    )


def digest(*charts) -> str:
    """A key for the rendering of ``charts``: the charts hold only dataclasses of plain
    values, so their repr names everything they draw."""
    return hashlib.sha256(repr(charts).encode()).hexdigest()
