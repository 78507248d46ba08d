"""The algorithm's overview page: where it stands on the lifecycle, how ready it is
(the figures of tracker.checklist.progress and of the go-live gate, the same as on the
checklist and gate pages), the top blockers with links, and this user's next steps
(tracker.pages.next_steps). A fixed number of queries however long the checklist."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from tracker.access import Access
from tracker.algorithms.members import role_holders
from tracker.algorithms.models import Algorithm
from tracker.applicability.scope import LIFECYCLE, PHASE_NAMES
from tracker.catalog.phases import Phase
from tracker.checklist.progress import Progress, progress_for
from tracker.dashboards.figures import algorithm_status
from tracker.dashboards.models import AlgorithmStatus
from tracker.dashboards.status import WORK_CATEGORIES, Status
from tracker.decision_aid.models import DecisionTree
from tracker.decisions.actions import current_decision
from tracker.decisions.models import Decision, DecisionCondition
from tracker.gates.readiness import STAGE_KEY, Readiness, go_live_readiness
from tracker.pages import next_steps as ns
from tracker.pilots.actions import open_pilot

TOP_BLOCKERS = 5


@dataclass(frozen=True)
class LifecycleStep:
    """One step of the stepper: a phase, or implementatie split into pilot and production."""

    key: str
    title: str
    state: str  # "done", "current" or "todo"

    @property
    def state_text(self) -> str:
        return {"done": "afgerond", "current": "huidige stap", "todo": "nog te doen"}[self.state]


@dataclass(frozen=True)
class BlockerLink:
    label: str
    url: str


@dataclass(frozen=True)
class Blockers:
    title: str  # what they block, e.g. "Blokkades voor go-live"
    rows: list[BlockerLink]
    total: int
    all_url: str


IMPLEMENTATION_STEPS = (
    ("pilot", "Implementatie: pilot"),
    ("production", "Implementatie: productie"),
)


def lifecycle(algorithm: Algorithm) -> list[LifecycleStep]:
    """The lifecycle with implementatie as its two stages, the algorithm's place marked."""
    keys: list[tuple[str, str]] = []
    for phase in LIFECYCLE:
        if phase == Phase.IMPLEMENTATIE:
            keys += [(f"{phase}:{stage}", title) for stage, title in IMPLEMENTATION_STEPS]
        else:
            keys.append((phase, PHASE_NAMES[phase]))
    if algorithm.phase == Phase.IMPLEMENTATIE:
        stage = algorithm.stage or "pilot"  # implementatie without a stage: before the pilot
        current = f"{algorithm.phase}:{stage}"
    else:
        current = algorithm.phase
    index = [key for key, _ in keys].index(current)
    return [
        LifecycleStep(key, title, "done" if n < index else "current" if n == index else "todo")
        for n, (key, title) in enumerate(keys)
    ]


def _pilot_state(algorithm: Algorithm) -> tuple[str, int]:
    pilot = open_pilot(algorithm)
    if pilot is None:
        return ns.NO_PILOT, 0
    if pilot.evaluation_or_none is None:
        return ns.PILOT_RUNNING, 0
    missing = len(pilot.missing_results())
    return (ns.PILOT_INCOMPLETE if missing else ns.PILOT_EVALUATED), missing


def _blockers(algorithm, status: Status, readiness: Readiness) -> Blockers | None:
    """The blockers of the next gate, as the portfolio counts them (``status.blockers``):
    the go-live gate's before go-live (only its rules on the work of the checklist
    before the step to production), what stops the pilot decision in the pilot."""
    slug = algorithm.slug
    if not status.blockers:
        return None
    title = f"Blokkades voor het {status.next_gate_label.lower()}"
    if status.key == AlgorithmStatus.PILOT:
        url = reverse("pilots:detail", args=[slug])
        return Blockers(title, [BlockerLink(status.reason, url)], status.blockers, url)
    found = readiness.blockers
    if status.key == AlgorithmStatus.DEVELOPMENT:
        found = [b for b in found if b.category in WORK_CATEGORIES]
    rows = [BlockerLink(b.label, b.url) for b in found[:TOP_BLOCKERS]]
    url = reverse("gates:go_live", args=[slug]) + "#blockers-heading"
    if status.key == AlgorithmStatus.DEVELOPMENT:
        url = reverse("checklist:list", args=[slug])
    return Blockers(title, rows, len(found), url)


def _figures(status: Status, readiness: Readiness) -> list[tuple[str, str, int]]:
    """The gate page's figures per category (those above zero) that count for the next
    gate: the work categories before the step to production, else all but the stage;
    none in the pilot and once live."""
    if status.key in (AlgorithmStatus.PILOT, AlgorithmStatus.PRODUCTION):
        return []  # the pilot decision's blockers are not the go-live gate's
    among = WORK_CATEGORIES if status.key == AlgorithmStatus.DEVELOPMENT else None
    return [
        (key, title, count)
        for key, title, count in readiness.figures
        if count and key != "stage" and (among is None or key in among)
    ]


def overview_context(algorithm: Algorithm, access: Access) -> dict:
    today = timezone.localdate()
    progress: Progress = progress_for(algorithm.items.all(), today)
    in_implementation = algorithm.phase == Phase.IMPLEMENTATIE
    readiness = go_live_readiness(algorithm, today)
    status = algorithm_status(algorithm, today)
    go = current_decision(algorithm, Decision.Gate.GO_LIVE) if in_implementation else None
    pilot_state, pilot_missing = (
        _pilot_state(algorithm)
        if in_implementation and algorithm.stage == Algorithm.Stage.PILOT
        else (ns.NO_PILOT, 0)
    )
    open_conditions = 0
    if go is not None and go.outcome == Decision.Outcome.CONDITIONAL:
        open_conditions = DecisionCondition.objects.of_current_go_live(algorithm).open().count()
    aid_run = algorithm.decision_aid_runs.select_related("tree", "created_by").first()
    newer = algorithm.release.newer_release()
    holders = role_holders(algorithm)
    aid_available = DecisionTree.objects.exists()
    situation = ns.Situation(
        slug=algorithm.slug,
        phase=algorithm.phase,
        stage=algorithm.stage,
        edit=access.edit,
        approve=access.approve,
        manage=access.manage,
        approvers=tuple(holders.approvers),
        owners=tuple(holders.owners),
        total=progress.total,
        not_ready=progress.open + progress.in_progress,
        overdue=progress.overdue,
        to_review=algorithm.items.current().to_review().count(),
        newer_release=newer.label if newer else "",
        aid_available=aid_available,
        aid_run=aid_run is not None,
        aid_needs_review=aid_run is not None and aid_run.needs_review,
        pilot=pilot_state,
        pilot_missing=pilot_missing,
        go_live_blockers=len(readiness.blockers),
        go_live_outcome=go.outcome if go else "",
        open_conditions=open_conditions,
        condition_decision_url=(
            reverse("decisions:detail", args=[algorithm.slug, go.pk]) if open_conditions else ""
        ),
    )
    return {
        "algorithm": algorithm,
        "access": access,
        "progress": progress,
        "lifecycle": lifecycle(algorithm),
        "status": status,
        "readiness": readiness if in_implementation else None,
        "gate_figures": _figures(status, readiness),
        "stage_blocked": STAGE_KEY in readiness.keys,
        "blockers": _blockers(algorithm, status, readiness),
        "steps": ns.next_steps(situation),
        "newer_release": newer,
        "aid_run": aid_run,
        "aid_available": aid_available,
        "go_live_decision": go,
    }
