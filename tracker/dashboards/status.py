"""Where an algorithm stands, in one word for a manager, from the gates' own rules.

``status_from`` is the one definition; ``tracker.dashboards.figures.algorithm_status``
gives it for one algorithm, and the portfolio keeps it per algorithm in its maintained
figures. The status and its *next gate*:

- **In productie**: the algorithm has gone live: phase implementatie, stage production
  with a current go-live decision *go* or *go onder voorwaarden*; or it is in phase
  monitoring-en-beheer or uitfaseren. No next gate, no blockers.
- **Klaar voor go-live** / **Geblokkeerd**: phase implementatie, stage production, not
  live yet: the next gate is the go-live gate and its blockers are exactly those of
  ``tracker.gates.readiness.go_live_readiness`` (per category, from
  ``tracker.gates.rules.category_counts``). None: ready; else blocked, with the main
  reason: the first category with blockers in the gate page's order.
- **In pilot**: phase implementatie, stage pilot: the next gate is the pilot decision,
  blocked by what ``tracker.pilots.decision.record_pilot_decision`` refuses on (no
  running pilot, no evaluation, a success criterion without its measured value).
- **In ontwikkeling**: every phase before implementatie, or implementatie without a
  stage: the next gate is the pilot decision, and the blockers counted are the go-live
  gate's rules on the checklist as it stands (items not done, without owner or evidence,
  to re-review, risks not accepted). The stage, the six go-live criteria (items of
  implementatie, not on its checklist yet) and the register entry belong to the step to
  production and are not counted before it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from tracker.catalog.phases import Phase
from tracker.dashboards.models import AlgorithmStatus
from tracker.gates.readiness import CATEGORIES
from tracker.gates.rules import in_production

Key = AlgorithmStatus
LIVE_PHASES = (Phase.MONITORING, Phase.UITFASEREN)
# The categories of the go-live gate that already count before the step to production.
WORK_CATEGORIES = ("vereisten", "maatregelen", "risicos", "herbeoordelen", "eigenaar", "bewijs")
GO_LIVE, PILOT = "go_live", "pilot"  # tracker.decisions.models.Decision.Gate values
GATE_LABELS = {GO_LIVE: "Go-livebesluit", PILOT: "Pilotbesluit"}
LIVE_OUTCOMES = ("go", "conditional")  # Decision.Outcome values of a go


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# The main reason of each go-live blocker category, in Dutch.
REASONS = {
    "stage": lambda n: "Niet in de stap productie",
    "criteria": lambda n: _plural(n, "go-livecriterium", "go-livecriteria") + " niet gereed",
    "betrokkenen": lambda n: "Betrokkenen nog niet geïnformeerd",
    "vereisten": lambda n: _plural(n, "vereiste", "vereisten") + " niet gereed",
    "maatregelen": lambda n: (
        _plural(n, "maatregel", "maatregelen")
        + " niet gereed of uitgesteld zonder geaccepteerd restrisico"
    ),
    "risicos": lambda n: _plural(n, "restrisico", "restrisico's") + " niet geaccepteerd",
    "herbeoordelen": lambda n: _plural(n, "item", "items") + " opnieuw te beoordelen",
    "eigenaar": lambda n: _plural(n, "item", "items") + " zonder eigenaar",
    "bewijs": lambda n: _plural(n, "item", "items") + " gereed zonder bewijs",
}
NO_PILOT = "Geen lopende pilot vastgelegd"
NOT_EVALUATED = "De pilot is nog niet geëvalueerd"


def missing_results_reason(n: int) -> str:
    criteria = _plural(n, "succescriterium", "succescriteria")
    return f"De evaluatie mist de gemeten waarde van {criteria}"


@dataclass(frozen=True)
class PilotState:
    """The current pilot as the pilot decision sees it."""

    running: bool = False  # a current pilot without a pilot decision on it
    evaluated: bool = False
    missing_results: int = 0  # success criteria without a measured value

    @property
    def reason(self) -> str:
        """What stops the pilot decision, "" when nothing does."""
        if not self.running:
            return NO_PILOT
        if not self.evaluated:
            return NOT_EVALUATED
        if self.missing_results:
            return missing_results_reason(self.missing_results)
        return ""


@dataclass(frozen=True)
class Status:
    key: str  # an AlgorithmStatus value
    reason: str  # the main reason in Dutch ("" when nothing blocks the next gate)
    next_gate: str | None  # a Decision.Gate value, None when past the last gate
    blockers: int  # blockers for the next gate

    @property
    def label(self) -> str:
        return AlgorithmStatus(self.key).label

    @property
    def next_gate_label(self) -> str:
        return GATE_LABELS.get(self.next_gate or "", "")

    @property
    def is_blocked(self) -> bool:
        return self.key == Key.BLOCKED


def _main_reason(categories: Mapping[str, int], among) -> str:
    for category in CATEGORIES:
        if category.key in among and categories.get(category.key):
            return REASONS[category.key](categories[category.key])
    return ""


def status_from(
    algorithm, *, categories: Mapping[str, int], live: bool, pilot: PilotState
) -> Status:
    """The status of ``algorithm`` (its phase and stage) from its go-live blockers per
    category (``category_counts``), whether a current go-live decision is a go, and its
    pilot's state."""
    if algorithm.phase in LIVE_PHASES or (in_production(algorithm) and live):
        return Status(Key.PRODUCTION, "", None, 0)
    if in_production(algorithm):
        blockers = sum(categories.values())
        if not blockers:
            return Status(Key.READY, "", GO_LIVE, 0)
        return Status(Key.BLOCKED, _main_reason(categories, REASONS), GO_LIVE, blockers)
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == "pilot":
        reason = pilot.reason
        return Status(Key.PILOT, reason, PILOT, 1 if reason else 0)
    blockers = sum(categories.get(key, 0) for key in WORK_CATEGORIES)
    return Status(Key.DEVELOPMENT, _main_reason(categories, WORK_CATEGORIES), PILOT, blockers)
