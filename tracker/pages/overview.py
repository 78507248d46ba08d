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
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import Progress, progress_for
from tracker.decision_aid.models import DecisionTree
from tracker.decisions.actions import current_decision
from tracker.decisions.models import Decision, DecisionCondition
from tracker.gates.readiness import STAGE_KEY, Readiness, go_live_readiness
from tracker.pages import next_steps as ns
from tracker.pilots.actions import open_pilot

TOP_BLOCKERS = 5
Status = ChecklistItem.Status


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


def status_text(algorithm: Algorithm, readiness: Readiness | None, go: Decision | None) -> str:
    """Where the algorithm stands, in a few words."""
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PILOT:
        return "In pilot"
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PRODUCTION:
        if go is not None and go.outcome in ns.GO_OUTCOMES:
            return "In productie"
        if readiness is not None and readiness.blockers:
            count = len(readiness.blockers)
            return f"Geblokkeerd: {count} blokkade{'s' if count != 1 else ''} voor go-live"
        return "Klaar voor go-live"
    if algorithm.phase == Phase.MONITORING:
        return "In productie"
    if algorithm.phase == Phase.UITFASEREN:
        return "Uitfaseren"
    return "In ontwikkeling"


def _pilot_state(algorithm: Algorithm) -> tuple[str, int]:
    pilot = open_pilot(algorithm)
    if pilot is None:
        return ns.NO_PILOT, 0
    if pilot.evaluation_or_none is None:
        return ns.PILOT_RUNNING, 0
    missing = len(pilot.missing_results())
    return (ns.PILOT_INCOMPLETE if missing else ns.PILOT_EVALUATED), missing


def _open_items(algorithm: Algorithm, today) -> list[BlockerLink]:
    """The first items not ready: overdue first, then by due date, then by code."""
    items = (
        algorithm.items.current()
        .filter(status__in=[Status.OPEN, Status.IN_PROGRESS])
        .select_related("catalog_item")
        .only("pk", "algorithm_id", "due_date", "catalog_item__code", "catalog_item__title")
        .order_by("due_date", "catalog_item__code", "pk")[:TOP_BLOCKERS]
    )
    slug = algorithm.slug
    rows = []
    for item in items:
        catalog = item.catalog_item
        name = f"{catalog.code}: {catalog.title}" if catalog.code else catalog.title
        late = " (te laat)" if item.due_date and item.due_date < today else ""
        rows.append(BlockerLink(f"Niet gereed{late}: {name}", _item_url(slug, item.pk)))
    return rows


def _item_url(slug: str, pk: int) -> str:
    return reverse("checklist:item", args=[slug, pk])


def _blockers(algorithm, progress, readiness, pilot_state, today) -> Blockers | None:
    slug = algorithm.slug
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PRODUCTION:
        rows = [BlockerLink(b.label, b.url) for b in readiness.blockers[:TOP_BLOCKERS]]
        total = len(readiness.blockers)
        url = reverse("gates:go_live", args=[slug]) + "#blockers-heading"
        return Blockers("Blokkades voor go-live", rows, total, url) if total else None
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PILOT:
        pilot_url = reverse("pilots:detail", args=[slug])
        texts = {
            ns.NO_PILOT: "Er is geen lopende pilot vastgelegd",
            ns.PILOT_RUNNING: "De pilot is nog niet geëvalueerd",
            ns.PILOT_INCOMPLETE: "De evaluatie mist gemeten waarden",
        }
        if pilot_state not in texts:
            return None
        return Blockers(
            "Blokkades voor het pilotbesluit",
            [BlockerLink(texts[pilot_state], pilot_url)],
            1,
            pilot_url,
        )
    not_ready = progress.open + progress.in_progress
    if not not_ready:
        return None
    return Blockers(
        "Nog niet gereed in deze fase",
        _open_items(algorithm, today),
        not_ready,
        reverse("checklist:list", args=[slug]),
    )


def overview_context(algorithm: Algorithm, access: Access) -> dict:
    today = timezone.localdate()
    progress: Progress = progress_for(algorithm.items.all(), today)
    in_implementation = algorithm.phase == Phase.IMPLEMENTATIE
    readiness = go_live_readiness(algorithm, today) if in_implementation else None
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
        go_live_blockers=len(readiness.blockers) if readiness else 0,
        go_live_outcome=go.outcome if go else "",
        open_conditions=open_conditions,
        condition_decision_url=(
            reverse("decisions:detail", args=[algorithm.slug, go.pk]) if open_conditions else ""
        ),
    )
    figures = []
    if readiness is not None:
        figures = [
            (key, title, count)
            for key, title, count in readiness.figures
            if count and key != "stage"
        ]
    return {
        "algorithm": algorithm,
        "access": access,
        "progress": progress,
        "lifecycle": lifecycle(algorithm),
        "status": status_text(algorithm, readiness, go),
        "readiness": readiness,
        "gate_figures": figures,
        "stage_blocked": readiness is not None and STAGE_KEY in readiness.keys,
        "blockers": _blockers(algorithm, progress, readiness, pilot_state, today),
        "steps": ns.next_steps(situation),
        "newer_release": newer,
        "aid_run": aid_run,
        "aid_available": aid_available,
        "go_live_decision": go,
    }
