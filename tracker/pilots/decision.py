"""The pilot decision: develop further, phase out or implement, taken by an approver
after the evaluation, recorded as a Decision at the pilot gate with a frozen snapshot.

The decision applies its effect on the phase and stage at once (the decision itself is
the confirmation) through the same ``change_profile`` as a manual change, so the
checklist is synced and audited; all in one transaction with the decision.
"""

from dataclasses import dataclass

from tracker.algorithms.actions import PROFILE_FIELDS
from tracker.algorithms.models import Algorithm
from tracker.audit import trail
from tracker.catalog.phases import Phase
from tracker.checklist.profile import ProfileChange, change_profile
from tracker.decisions.actions import UNCHECKED, DecisionRefused, record_decision
from tracker.decisions.models import Decision
from tracker.pilots.actions import (
    NOT_IN_PILOT,
    StalePilot,
    in_pilot_stage,
    locked_algorithm,
    open_pilot,
)

Outcome = Decision.Outcome
# What each outcome of the pilot decision does to the algorithm: (phase, stage).
OUTCOME_EFFECTS: dict[str, tuple[str, str]] = {
    Outcome.DEVELOP: (Phase.ONTWIKKELEN, Algorithm.Stage.NONE),
    Outcome.PHASE_OUT: (Phase.UITFASEREN, Algorithm.Stage.NONE),
    Outcome.IMPLEMENT: (Phase.IMPLEMENTATIE, Algorithm.Stage.PRODUCTION),
}
PILOT_OUTCOMES = tuple(OUTCOME_EFFECTS)


@dataclass(frozen=True)
class PilotDecisionResult:
    decision: Decision
    change: ProfileChange


def record_pilot_decision(
    algorithm: Algorithm,
    actor,
    outcome: str,
    rationale: str,
    *,
    expected_current=UNCHECKED,
    expected_pilot_version: int | None = None,
) -> PilotDecisionResult:
    """The pilot decision by an approver (callers check the approve capability).

    Needs the algorithm in stage pilot and a complete evaluation of the current pilot.
    In one transaction: the decision with its frozen snapshot (superseding the current
    pilot decision) and its effect on the phase and stage, through the same
    ``change_profile`` as a manual change (so the checklist is synced and audited).
    Raises DecisionRefused, StaleDecision or StalePilot; nothing is recorded then.
    """
    rationale = rationale.strip()
    if outcome not in OUTCOME_EFFECTS:
        raise DecisionRefused(f"Geen uitkomst van het pilotbesluit: {outcome}")
    if not rationale:
        raise DecisionRefused("Een besluit heeft een onderbouwing nodig.")
    with trail.atomic():
        algorithm = locked_algorithm(algorithm)
        if not in_pilot_stage(algorithm):
            raise DecisionRefused(NOT_IN_PILOT)
        pilot = open_pilot(algorithm, lock=True)
        if pilot is None:
            raise DecisionRefused("Er is geen lopende pilot om over te besluiten.")
        if expected_pilot_version is not None and pilot.version != expected_pilot_version:
            raise StalePilot(pilot, expected_pilot_version)
        if pilot.evaluation_or_none is None:
            raise DecisionRefused("Een pilotbesluit vraagt eerst een evaluatie van de pilot.")
        missing = pilot.missing_results()
        if missing:
            names = ", ".join(criterion.name for criterion in missing)
            raise DecisionRefused(f"De evaluatie mist de gemeten waarde van: {names}.")
        decision = record_decision(
            algorithm,
            actor,
            gate=Decision.Gate.PILOT,
            outcome=outcome,
            rationale=rationale,
            expected_current=expected_current,
            pilot=pilot,
        )
        phase, stage = OUTCOME_EFFECTS[outcome]
        values = {name: getattr(algorithm, name) for name in PROFILE_FIELDS}
        values.update(phase=phase, stage=stage)
        change = change_profile(
            algorithm,
            actor=actor,
            version=algorithm.version,
            values=values,
            profile=algorithm.profile(),
        )
    return PilotDecisionResult(decision=decision, change=change)
