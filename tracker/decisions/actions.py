"""Recording gate decisions and working off their conditions.

Every decision is recorded by ``record_decision()``: in one transaction it freezes the
algorithm's state (snapshot.freeze), creates the new Decision pointing at the one it
supersedes (the old row is never touched), and writes the audit entries. The rules of
a gate are checked before that by the gate's own function:

- ``record_go_live_decision()``: the go-live gate (rules below);
- ``record_pilot_decision()`` (the pilot concern adds it): checks the pilot's
  evaluation, then calls ``record_decision(..., gate=Decision.Gate.PILOT, ...)``.

Callers check the approve capability (tracker.access) before calling.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tracker.algorithms.models import Algorithm, Membership
from tracker.audit import trail
from tracker.audit.models import AuditEntry
from tracker.audit.stale import entries_since
from tracker.audit.trail import record
from tracker.decisions.models import Decision, DecisionCondition
from tracker.decisions.snapshot import freeze
from tracker.gates.readiness import Blocker, Readiness, go_live_readiness

Outcome = Decision.Outcome
UNCHECKED = object()  # expected_current not given: no stale-form check


@dataclass(frozen=True)
class ConditionSpec:
    """One condition of a conditional go, covering one open blocker."""

    blocker_key: str
    description: str
    owner: object  # a user who is a member of the algorithm
    due_date: date


class DecisionRefused(Exception):
    """The decision breaks a rule of the gate; nothing was recorded."""

    def __init__(self, message: str, blockers: Sequence[Blocker] = (), problems=()):
        super().__init__(message)
        self.message = message
        self.blockers = list(blockers)  # the open blockers that stand in the way
        self.problems = list(problems)  # further lines explaining what is wrong


class StaleDecision(Exception):
    """Another decision was recorded after the form was loaded; nothing was recorded."""

    def __init__(self, current: Decision | None):
        super().__init__("a decision was recorded meanwhile")
        self.current = current


class StaleCondition(Exception):
    """The condition changed after the form was loaded; nothing was saved."""

    def __init__(self, condition: DecisionCondition, entries: list[AuditEntry]):
        super().__init__(f"condition {condition.pk} changed meanwhile")
        self.condition = condition
        self.entries = entries


def current_decision(algorithm: Algorithm, gate: str) -> Decision | None:
    return (
        algorithm.decisions.filter(gate=gate)
        .current()
        .select_related("decided_by")
        .defer("snapshot")
        .first()
    )


def record_decision(
    algorithm: Algorithm,
    actor,
    *,
    gate: str,
    outcome: str,
    rationale: str,
    readiness: Readiness | None = None,
    expected_current=UNCHECKED,
    pilot=None,
) -> Decision:
    """Freeze the state and record the decision, superseding the gate's current one.

    Must run inside the caller's transaction (it opens a nested one otherwise).
    ``expected_current`` is the pk (or None) of the gate's current decision when the
    user's form was loaded; if another decision was recorded since, StaleDecision.
    ``pilot``: the pilot a decision at the pilot gate closes; by default the pilot its
    snapshot froze (the algorithm's newest).
    """
    with trail.atomic():
        Algorithm.objects.select_for_update(no_key=True).filter(pk=algorithm.pk).first()
        previous = current_decision(algorithm, gate)
        if expected_current is not UNCHECKED and (previous.pk if previous else None) != (
            expected_current
        ):
            raise StaleDecision(previous)
        snapshot, snapshot_hash = freeze(algorithm, readiness)
        pilot_id = pilot.pk if pilot is not None else None
        if pilot_id is None and gate == Decision.Gate.PILOT and snapshot.get("pilot"):
            pilot_id = snapshot["pilot"]["id"]
        decision = Decision.objects.create(
            algorithm=algorithm,
            gate=gate,
            outcome=outcome,
            rationale=rationale,
            decided_by=actor,
            supersedes=previous,
            pilot_id=pilot_id,
            snapshot=snapshot,
            snapshot_hash=snapshot_hash,
        )
        record(
            actor=actor,
            obj=decision,
            action="create",
            changes={
                "gate": [None, gate],
                "outcome": [None, outcome],
                "rationale": [None, rationale],
                "snapshot_hash": [None, snapshot_hash],
                "supersedes": [None, previous.pk if previous else None],
            },
            algorithm=algorithm,
        )
        if previous is not None:
            record(
                actor=actor,
                obj=previous,
                action="supersede",
                changes={"superseded_by": [None, decision.pk]},
                algorithm=algorithm,
            )
    return decision


def _condition_problems(
    algorithm: Algorithm, readiness: Readiness, conditions: Sequence[ConditionSpec], today
) -> list[str]:
    problems = []
    known = readiness.keys
    names = {blocker.key: blocker.label for blocker in readiness.blockers}
    member_ids = set(
        Membership.objects.filter(algorithm=algorithm).values_list("user_id", flat=True)
    )
    for condition in conditions:
        if condition.blocker_key not in known:
            problems.append("Een gekozen blokkade is intussen opgelost of bestaat niet meer")
            continue
        if not condition.description.strip():
            problems.append(f"Geen omschrijving bij {names[condition.blocker_key]}")
        if condition.owner is None or condition.owner.pk not in member_ids:
            problems.append(
                f"De eigenaar bij {names[condition.blocker_key]} is geen lid van het algoritme"
            )
        if condition.due_date is None or condition.due_date < today:
            problems.append(f"De deadline bij {names[condition.blocker_key]} ligt in het verleden")
    return problems


def record_go_live_decision(
    algorithm: Algorithm,
    actor,
    outcome: str,
    rationale: str,
    conditions: Sequence[ConditionSpec] = (),
    *,
    expected_current=UNCHECKED,
    today: date | None = None,
) -> Decision:
    """Record go, conditional go or no-go at the go-live gate.

    - go: refused while any blocker remains;
    - conditional: every open blocker must be named by a condition (description, an
      owner who is a member, a due date today or later); a condition naming an unknown
      key is refused, and so is a blocker no condition can cover (the stage);
    - no_go: always allowed.
    Raises DecisionRefused (nothing recorded) or StaleDecision.
    """
    today = today or timezone.localdate()
    rationale = rationale.strip()
    if outcome not in (Outcome.GO, Outcome.CONDITIONAL, Outcome.NO_GO):
        raise DecisionRefused(f"Geen uitkomst van het go-livebesluit: {outcome}")
    if not rationale:
        raise DecisionRefused("Een besluit heeft een onderbouwing nodig.")
    if conditions and outcome != Outcome.CONDITIONAL:
        raise DecisionRefused("Alleen een go onder voorwaarden heeft voorwaarden.")
    with trail.atomic():
        Algorithm.objects.select_for_update(no_key=True).filter(pk=algorithm.pk).first()
        readiness = go_live_readiness(algorithm, today)
        if outcome == Outcome.GO and readiness.blockers:
            raise DecisionRefused(
                "Een go is niet mogelijk zolang er blokkades zijn.", readiness.blockers
            )
        if outcome == Outcome.CONDITIONAL:
            _check_conditional(algorithm, readiness, conditions, today)
        decision = record_decision(
            algorithm,
            actor,
            gate=Decision.Gate.GO_LIVE,
            outcome=outcome,
            rationale=rationale,
            readiness=readiness,
            expected_current=expected_current,
        )
        blocker_labels = {blocker.key: blocker.label for blocker in readiness.blockers}
        for spec in conditions:
            condition = DecisionCondition.objects.create(
                decision=decision,
                blocker_key=spec.blocker_key,
                blocker_label=blocker_labels.get(spec.blocker_key, "")[:300],
                description=spec.description.strip(),
                owner=spec.owner,
                due_date=spec.due_date,
            )
            record(
                actor=actor,
                obj=condition,
                action="create",
                changes={
                    "blocker_key": [None, condition.blocker_key],
                    "blocker_label": [None, condition.blocker_label],
                    "description": [None, condition.description],
                    "owner": [None, condition.owner],
                    "due_date": [None, condition.due_date],
                },
                algorithm=algorithm,
            )
    return decision


def _check_conditional(
    algorithm: Algorithm, readiness: Readiness, conditions: Sequence[ConditionSpec], today
) -> None:
    fixed = [blocker for blocker in readiness.blockers if not blocker.conditionable]
    if fixed:
        raise DecisionRefused(
            "Een go onder voorwaarden is niet mogelijk: deze blokkade kan geen voorwaarde zijn.",
            fixed,
        )
    if not readiness.blockers:
        raise DecisionRefused("Er zijn geen blokkades: kies go in plaats van go onder voorwaarden.")
    problems = _condition_problems(algorithm, readiness, conditions, today)
    covered = {condition.blocker_key for condition in conditions}
    uncovered = [blocker for blocker in readiness.blockers if blocker.key not in covered]
    if uncovered or problems:
        raise DecisionRefused(
            "Een go onder voorwaarden moet elke open blokkade als voorwaarde opnemen, met een "
            "omschrijving, een eigenaar en een deadline. Niet gekozen blokkades lost u eerst "
            "op, of u kiest no-go.",
            uncovered,
            problems,
        )


def fulfil_condition(
    condition: DecisionCondition, actor, *, expected_version: int
) -> DecisionCondition:
    """Mark a condition fulfilled (callers check the edit capability). Raises
    StaleCondition when it changed since the form was loaded, or is already fulfilled."""
    with trail.atomic():
        current = (
            DecisionCondition.objects.select_for_update(of=("self",), no_key=True)
            .select_related("decision__algorithm", "owner")
            .get(pk=condition.pk)
        )
        if current.version != expected_version or current.status != DecisionCondition.Status.OPEN:
            entries = entries_since(AuditEntry.objects.for_object(current), expected_version)
            raise StaleCondition(current, entries)
        now = timezone.now()
        current.status = DecisionCondition.Status.DONE
        current.completed_at = now
        current.version = expected_version + 1
        current.save(update_fields=["status", "completed_at", "version"])
        record(
            actor=actor,
            obj=current,
            action="fulfil",
            changes={
                "status": [DecisionCondition.Status.OPEN, DecisionCondition.Status.DONE],
                "completed_at": [None, now],
                "version": [expected_version, current.version],
            },
            algorithm=current.decision.algorithm,
        )
    return current
