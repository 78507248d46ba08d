"""The next steps on an algorithm's overview: what *this* user can do now, or whom they
wait for, given where the algorithm stands on its lifecycle.

``next_steps(situation)`` is pure: it reads a ``Situation`` (the facts the overview
gathers, see tracker.pages.overview) and returns ``Steps``, every step a link to the
page where it is done. The rules, in order:

1. House-keeping that blocks everything after it: a newer Algoritmekader release
   (the owner moves over), the AI profile (the owner fills in the decision aid, or
   again when a newer tree flags it), items to re-review and overdue items (editors).
2. The stage of the lifecycle:

   - before implementatie, and in monitoring-en-beheer / uitfaseren: finish the
     checklist of the phase (editors); when it is complete the owner moves on to the
     next phase;
   - implementatie without a stage: the owner chooses the pilot stage;
   - implementatie, stage pilot: record the pilot, evaluate it (editors), then an
     approver takes the pilot decision; everybody else waits for a named approver;
   - implementatie, stage production: solve the go-live blockers (editors), then an
     approver takes the go-live decision; after a conditional go its open conditions
     are the work.

   A step that needs an approver when the algorithm has none becomes "appoint one"
   for the owner and "ask the owner" for everybody else: never a dead end.
3. Nothing left: ``done`` is true and ``next_gate`` says what comes next.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from tracker.algorithms.models import Algorithm
from tracker.applicability.scope import LIFECYCLE, PHASE_NAMES
from tracker.catalog.phases import Phase

PRODUCTION = Algorithm.Stage.PRODUCTION
PILOT = Algorithm.Stage.PILOT

# Pilot states (``Situation.pilot``).
NO_PILOT = "none"  # no pilot, or the last one was closed by a decision
PILOT_RUNNING = "running"  # open, not evaluated
PILOT_INCOMPLETE = "incomplete"  # evaluated, but measured values missing
PILOT_EVALUATED = "evaluated"  # evaluated completely: ready for the decision

GO_OUTCOMES = ("go", "conditional")


@dataclass(frozen=True)
class Situation:
    """The facts the next steps depend on (gathered by tracker.pages.overview)."""

    slug: str
    phase: str
    stage: str = ""
    # What the user may do (tracker.access.Access): edit items, approve, manage.
    edit: bool = False
    approve: bool = False
    manage: bool = False
    approvers: tuple[str, ...] = ()  # names
    owners: tuple[str, ...] = ()  # names
    # The checklist (current items in the phase scope).
    total: int = 0
    not_ready: int = 0  # open or in progress
    overdue: int = 0
    to_review: int = 0
    newer_release: str = ""  # label of a newer release, "" when none
    aid_available: bool = False
    aid_run: bool = False  # the decision aid was filled in
    aid_needs_review: bool = False  # a newer tree flags the run
    pilot: str = NO_PILOT
    pilot_missing: int = 0  # measured values missing in the evaluation
    go_live_blockers: int = 0
    go_live_outcome: str = ""  # outcome of the current go-live decision, "" when none
    open_conditions: int = 0
    condition_decision_url: str = ""


@dataclass(frozen=True)
class Step:
    """One next step: ``label`` is the link text, ``url`` the page where it is done.
    ``waiting`` marks a step that someone else takes (the user can only look)."""

    key: str
    label: str
    url: str
    detail: str = ""
    waiting: bool = False


@dataclass(frozen=True)
class Steps:
    steps: list[Step] = field(default_factory=list)
    next_gate: str = ""  # what comes after this phase, in a sentence

    @property
    def done(self) -> bool:
        """Nothing left for this user in this phase (waiting steps count as work left)."""
        return not self.steps


def _url(name: str, slug: str, anchor: str = "", query: str = "") -> str:
    url = reverse(name, args=[slug])
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names)


def _items(count: int) -> str:
    return f"{count} item{'s' if count != 1 else ''}"


def next_phase(phase: str) -> str:
    """The lifecycle phase after ``phase`` ("" after the last)."""
    index = LIFECYCLE.index(phase) if phase in LIFECYCLE else len(LIFECYCLE)
    return LIFECYCLE[index + 1] if index + 1 < len(LIFECYCLE) else ""


def next_gate(situation: Situation) -> str:
    phase, stage = situation.phase, situation.stage
    if phase in LIFECYCLE and LIFECYCLE.index(phase) < LIFECYCLE.index(Phase.IMPLEMENTATIE):
        return (
            "Volgende toets: het pilotbesluit, in de fase Implementatie (stap pilot), "
            "na een geëvalueerde pilot."
        )
    if phase == Phase.IMPLEMENTATIE and stage != PRODUCTION:
        return "Volgende toets: het pilotbesluit van een accordeerder, na de evaluatie."
    if phase == Phase.IMPLEMENTATIE and situation.go_live_outcome not in GO_OUTCOMES:
        return "Volgende toets: het go-livebesluit van een accordeerder."
    following = next_phase(phase)
    if following:
        return f"Er is geen toets meer; de volgende fase is {PHASE_NAMES[following]}."
    return "Er is geen toets en geen fase meer na deze."


def _needs_approver(situation: Situation, what: str, url: str, key: str) -> Step:
    """Step for a decision that an approver takes, for a user who is not one."""
    if situation.approvers:
        return Step(
            key,
            f"Wacht op besluit van een accordeerder ({_names(situation.approvers)})",
            url,
            detail=f"{what} neemt een accordeerder.",
            waiting=True,
        )
    if situation.manage:
        return Step(
            "appoint-approver",
            "Een accordeerder aanwijzen",
            _url("algorithms:members", situation.slug, "lid-toevoegen"),
            detail=f"{what} neemt een accordeerder; dit algoritme heeft er nog geen.",
        )
    return Step(
        "ask-owner-for-approver",
        f"Vraag de eigenaar ({_names(situation.owners) or 'geen'}) een accordeerder aan te wijzen",
        _url("algorithms:members", situation.slug),
        detail=f"{what} neemt een accordeerder; dit algoritme heeft er nog geen.",
        waiting=True,
    )


def _house_keeping(s: Situation) -> list[Step]:
    steps = []
    if s.newer_release and s.manage:
        steps.append(
            Step(
                "release",
                "Nieuwere release beschikbaar: bijwerken",
                _url("algorithms:release", s.slug),
                detail=f"Release {s.newer_release} van het Algoritmekader; al het werk gaat mee.",
            )
        )
    if s.manage and s.aid_available and (not s.aid_run or s.aid_needs_review):
        label = (
            "Beslishulp AI-verordening opnieuw invullen"
            if s.aid_run
            else "Beslishulp AI-verordening invullen"
        )
        detail = (
            "Een nieuwere versie van de beslishulp raakt uw antwoorden: classificatie opnieuw "
            "bekijken."
            if s.aid_run
            else "Bepaalt het AI-profiel, en daarmee welke vereisten gelden."
        )
        steps.append(
            Step("decision-aid", label, _url("decision_aid:algorithm_start", s.slug), detail)
        )
    if s.edit and s.to_review:
        steps.append(
            Step(
                "to-review",
                f"{_items(s.to_review)} opnieuw beoordelen",
                _url("checklist:list", s.slug, query="review=on"),
                detail="De inhoud is gewijzigd in een nieuwere release.",
            )
        )
    if s.edit and s.overdue:
        steps.append(
            Step(
                "overdue",
                f"{_items(s.overdue)} te laat",
                _url("checklist:list", s.slug, query="overdue=on"),
                detail="De deadline is verstreken.",
            )
        )
    return steps


def _checklist_phase(s: Situation) -> list[Step]:
    """A phase without a gate: finish its checklist, then the owner moves on."""
    if s.not_ready:
        if s.edit:
            return [
                Step(
                    "checklist",
                    f"Checklist afronden: {_items(s.not_ready)} open",
                    _url("checklist:list", s.slug),
                    detail=f"Fase {PHASE_NAMES.get(s.phase, s.phase)}.",
                )
            ]
        return [
            Step(
                "checklist-view",
                f"Checklist bekijken: {_items(s.not_ready)} open",
                _url("checklist:list", s.slug),
                waiting=True,
            )
        ]
    following = next_phase(s.phase)
    if not following or s.phase == Phase.MONITORING:
        return []  # monitoring goes on for as long as the algorithm is used
    if s.manage:
        label = (
            "Naar de fase Implementatie, stap pilot"
            if following == Phase.IMPLEMENTATIE
            else f"Naar de fase {PHASE_NAMES[following]}"
        )
        return [
            Step(
                "next-phase",
                label,
                _url("algorithms:profile", s.slug),
                detail="De checklist van deze fase is gereed.",
            )
        ]
    return []


def _pilot(s: Situation) -> list[Step]:
    pilot_page = _url("pilots:detail", s.slug)
    if s.pilot == NO_PILOT:
        if s.edit:
            return [Step("pilot-record", "Pilot vastleggen", _url("pilots:edit", s.slug))]
        return [Step("pilot-view", "Pilot bekijken", pilot_page, waiting=True)]
    if s.pilot == PILOT_RUNNING:
        if s.edit:
            return [Step("pilot-evaluate", "Pilot evalueren", _url("pilots:evaluate", s.slug))]
        return [Step("pilot-view", "Pilot bekijken", pilot_page, waiting=True)]
    if s.pilot == PILOT_INCOMPLETE:
        if s.edit:
            return [
                Step(
                    "pilot-complete",
                    "Evaluatie aanvullen",
                    _url("pilots:evaluate", s.slug),
                    detail=f"De gemeten waarde ontbreekt bij {s.pilot_missing} succescriterium"
                    f"{'' if s.pilot_missing == 1 else 's'}.",
                )
            ]
        return [Step("pilot-view", "Pilot bekijken", pilot_page, waiting=True)]
    if s.approve:
        return [
            Step(
                "pilot-decide",
                "Pilotbesluit nemen",
                _url("pilots:detail", s.slug, "pilotbesluit"),
                detail="Verder ontwikkelen, uitfaseren of implementeren.",
            )
        ]
    return [
        _needs_approver(
            s, "Het pilotbesluit", _url("pilots:detail", s.slug, "pilotbesluit"), "pilot-wait"
        )
    ]


def _go_live(s: Situation) -> list[Step]:
    gate = _url("gates:go_live", s.slug)
    if s.go_live_outcome in GO_OUTCOMES:
        if s.open_conditions and s.edit:
            count = s.open_conditions
            return [
                Step(
                    "conditions",
                    f"{count} voorwaarde{'n' if count != 1 else ''} van de go afronden",
                    s.condition_decision_url or _url("gates:go_live", s.slug, "voorwaarden"),
                )
            ]
        return []
    steps = []
    if s.go_live_blockers and s.edit:
        count = s.go_live_blockers
        steps.append(
            Step(
                "go-live-blockers",
                f"{count} blokkade{'s' if count != 1 else ''} voor go-live oplossen",
                _url("gates:go_live", s.slug, "blockers-heading"),
            )
        )
    if s.approve:
        detail = (
            "Go, go onder voorwaarden of no-go."
            if s.go_live_blockers
            else "Er zijn geen blokkades: go of no-go."
        )
        steps.append(
            Step(
                "go-live-decide",
                "Go-livebesluit nemen",
                _url("gates:go_live", s.slug, "besluit-vastleggen"),
                detail,
            )
        )
    elif not s.go_live_blockers:
        steps.append(_needs_approver(s, "Het go-livebesluit", gate, "go-live-wait"))
    elif not s.edit:
        count = s.go_live_blockers
        label = f"Go-livetoets bekijken: {count} blokkade{'s' if count != 1 else ''}"
        steps.append(Step("go-live-view", label, gate, waiting=True))
    return steps


def _stage_steps(s: Situation) -> list[Step]:
    if s.phase != Phase.IMPLEMENTATIE:
        return _checklist_phase(s)
    if s.stage == PILOT:
        return _pilot(s)
    if s.stage == PRODUCTION:
        return _go_live(s)
    if s.manage:
        return [
            Step(
                "choose-pilot",
                "Stap pilot kiezen",
                _url("algorithms:profile", s.slug),
                detail="Een pilot op productiedata gaat vooraf aan het pilotbesluit.",
            )
        ]
    return [
        Step(
            "wait-owner",
            f"Wacht op de eigenaar ({_names(s.owners) or 'geen'}): stap pilot kiezen",
            _url("algorithms:members", s.slug),
            waiting=True,
        )
    ]


def next_steps(situation: Situation) -> Steps:
    """The user's next steps on the algorithm; see the module docstring."""
    steps = _house_keeping(situation) + _stage_steps(situation)
    return Steps(steps=steps, next_gate=next_gate(situation))
