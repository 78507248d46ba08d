"""Phase scope: which lifecycle phases an algorithm's checklist covers (issue 11).

An algorithm's checklist holds the applicable items of its current phase and of every
earlier phase of the lifecycle: a legal requirement does not lapse when a phase ends.
Items of *organisatieverantwoordelijkheden* are always included and marked as
organisation-wide: that part of the lifecycle is cross-cutting, not a phase an
algorithm sits in. Items of later phases only are *komende fasen*: shown apart, never
counted.

Every item is marked with the phase it comes from (``origin``): the earliest phase of
the lifecycle it belongs to that the algorithm has reached, or the organisation-wide
part when it belongs to no reached phase.

The go-live gate counts every applicable item up to and including implementatie
(``GATE_PHASES``): the items of monitoring-en-beheer and uitfaseren of an algorithm
that has gone live do not block its go-live.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from tracker.applicability.profile import AIProfile
from tracker.applicability.rules import (
    MEASURE,
    REQUIREMENT,
    ApplicableItem,
    Verdict,
    measure_verdict,
    requirement_verdicts,
)
from tracker.catalog.phases import Phase

ORGANISATION = Phase.ORGANISATIE.value
LIFECYCLE: tuple[str, ...] = tuple(p.value for p in Phase if p != Phase.ORGANISATIE)
PHASE_NAMES: dict[str, str] = {p.value: p.label for p in Phase}


def is_lifecycle_phase(phase: str) -> bool:
    """A phase an algorithm can sit in (not the organisation-wide part)."""
    return phase in LIFECYCLE


def reached_phases(phase: str) -> tuple[str, ...]:
    """The lifecycle phases up to and including ``phase`` (in order)."""
    if phase not in LIFECYCLE:
        raise ValueError(f"{phase!r} is not a lifecycle phase an algorithm can be in")
    return LIFECYCLE[: LIFECYCLE.index(phase) + 1]


def scope_phases(phase: str) -> frozenset[str]:
    """The phases whose items are on the checklist of an algorithm in ``phase``."""
    return frozenset((*reached_phases(phase), ORGANISATION))


def origin(item_phases: Collection[str], phase: str) -> str:
    """The phase an item comes from for an algorithm in ``phase``; "" when it is not in
    scope (it belongs to later phases only, or to none)."""
    for reached in reached_phases(phase):
        if reached in item_phases:
            return reached
    return ORGANISATION if ORGANISATION in item_phases else ""


def upcoming(item_phases: Collection[str], phase: str) -> str:
    """The next phase an out-of-scope item belongs to ("" when it has none)."""
    later = LIFECYCLE[LIFECYCLE.index(phase) + 1 :]
    return next((p for p in later if p in item_phases), "")


GATE_PHASES: frozenset[str] = scope_phases(Phase.IMPLEMENTATIE.value)


def origin_name(origin_phase: str) -> str:
    """How the origin is shown: "Ontwerp", or "Organisatiebreed"."""
    if origin_phase == ORGANISATION:
        return "Organisatiebreed"
    return PHASE_NAMES.get(origin_phase, "")


def origin_text(origin_phase: str) -> str:
    """The reason line that names where an item comes from, in Dutch."""
    if origin_phase == ORGANISATION:
        return "Organisatiebreed: hoort bij de organisatieverantwoordelijkheden"
    return f"Uit de fase {PHASE_NAMES[origin_phase]}"


def upcoming_text(next_phase: str) -> str:
    if next_phase:
        return f"Hoort bij een komende fase: {PHASE_NAMES[next_phase]}"
    return "Hoort bij geen fase van de levenscyclus"


# --- the checklist of a phase scope ---------------------------------------------


@dataclass(frozen=True)
class Scoped:
    """One item judged within a phase scope: its verdict and where it comes from
    (``phase``: the origin for items in scope, the next phase for upcoming ones)."""

    item: Any
    verdict: Verdict
    phase: str


@dataclass(frozen=True)
class ScopedChecklist:
    applicable: list[Scoped] = field(default_factory=list)  # in scope, applies
    not_applicable: list[Scoped] = field(default_factory=list)  # in scope, does not apply
    upcoming: list[Scoped] = field(default_factory=list)  # later phases only, applies
    out_of_scope: dict[str, str] = field(default_factory=dict)  # slug -> next phase ("")


def scoped_checklist(
    items: Iterable[ApplicableItem],
    phase: str,
    profile: AIProfile,
    *,
    phases_of: Callable[[Any], Collection[str]] = lambda item: item.phases,
) -> ScopedChecklist:
    """The vereisten and maatregelen of an algorithm in ``phase``: those of the reached
    phases and the organisation-wide ones (applicable or not, with their origin), and
    the applicable ones of later phases (``upcoming``). Maatregelen are judged on the
    vereisten of every phase, as in ``checklist_for``. Keeps the order of ``items``."""
    items = [item for item in items if item.kind in (REQUIREMENT, MEASURE)]
    verdicts = requirement_verdicts(items, profile)
    result = ScopedChecklist()
    for item in items:
        item_phases = phases_of(item) or ()
        if item.kind == REQUIREMENT:
            verdict = verdicts[item.slug]
        else:
            verdict = measure_verdict(item, verdicts, profile)
        found = origin(item_phases, phase)
        if found:
            target = result.applicable if verdict.applies else result.not_applicable
            target.append(Scoped(item, verdict, found))
            continue
        next_phase = upcoming(item_phases, phase)
        result.out_of_scope[item.slug] = next_phase
        if verdict.applies and next_phase:
            result.upcoming.append(Scoped(item, verdict, next_phase))
    return result
