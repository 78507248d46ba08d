"""Domain actions of the pilot: record or update it with its success criteria, and
evaluate it. The pilot decision is in tracker.pilots.decision.

The pilot's ``version`` covers the pilot, its criteria and its evaluation: every
change to any of them moves it on, so one hidden field detects a stale form. Each
action runs in one transaction that locks the algorithm's row, and records every
change in the audit trail (tracker.audit.trail.record).

A pilot is *closed* once a pilot decision was recorded on it (the decision's frozen
snapshot names the pilot); a closed pilot is never changed again. The *current*
pilot is the newest one, in the order the decision snapshot uses (Pilot.Meta).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.audit import trail
from tracker.audit.models import AuditEntry
from tracker.audit.stale import anchor_seq
from tracker.audit.trail import changes_between, record, snapshot
from tracker.catalog.phases import Phase
from tracker.decisions.models import Decision
from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion

PILOT_FIELDS = (
    "start_date",
    "end_date",
    "max_cases",
    "other_limit",
    "units",
    "processes_production_data",
    "legal_basis",
    "legal_basis_url",
    "participants",
    "agreements",
)
CRITERION_FIELDS = ("name", "metric", "expected")
EVALUATION_FIELDS = ("usability_findings", "other_findings")
PILOT_OBJECT_TYPES = tuple(
    model._meta.label_lower for model in (Pilot, SuccessCriterion, PilotEvaluation, CriterionResult)
)
NOT_IN_PILOT = (
    "Een pilot hoort bij de fase Implementatie, stap pilot. Dit algoritme is in een andere "
    "fase of stap; wijzig eerst de fase en het profiel."
)


class PilotRefused(Exception):
    """The change breaks a rule of the pilot; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StalePilot(Exception):
    """The pilot changed after the form was loaded; nothing was saved."""

    def __init__(self, pilot: Pilot | None, form_version: int | None) -> None:
        super().__init__("the pilot changed meanwhile")
        self.pilot = pilot
        self.form_version = form_version

    def entries(self) -> list[AuditEntry]:
        """The audit entries on the pilot, its criteria and evaluation since the form's
        version (oldest first); each gets ``rows`` of (label, old, new)."""
        if self.pilot is None:
            return []
        return changes_since(self.pilot, self.form_version)


@dataclass(frozen=True)
class CriterionSpec:
    """One success criterion from the form: ``pk`` None for a new one."""

    pk: int | None
    name: str
    metric: str
    expected: str
    delete: bool = False


def in_pilot_stage(algorithm: Algorithm) -> bool:
    return algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PILOT


def pilot_decisions(algorithm: Algorithm):
    """The algorithm's pilot decisions (each with its ``pilot_id``), without their
    snapshots."""
    return (
        algorithm.decisions.filter(gate=Decision.Gate.PILOT)
        .select_related("decided_by")
        .defer("snapshot")
        .annotate(successor_id=F("superseded_by__id"))
    )


def decision_for(pilot: Pilot) -> Decision | None:
    """The pilot decision that closed this pilot, if any."""
    decisions = pilot_decisions(pilot.algorithm).filter(pilot=pilot)
    return decisions.order_by("decided_at", "id").first()


def open_pilot(algorithm: Algorithm, *, lock: bool = False) -> Pilot | None:
    """The current pilot while no decision closed it, else None."""
    pilots = algorithm.pilots.all()
    if lock:
        pilots = pilots.select_for_update(no_key=True)
    pilot = pilots.first()
    if pilot is None or decision_for(pilot) is not None:
        return None
    return pilot


def previous_start(algorithm: Algorithm, pilot: Pilot | None) -> date | None:
    """The start date of the newest pilot before this one (a new pilot cannot start earlier)."""
    earlier = algorithm.pilots.all()
    if pilot is not None:
        earlier = earlier.exclude(pk=pilot.pk)
    return earlier.values_list("start_date", flat=True).first()


def field_label(model, name: str) -> str:
    """The Dutch label of a field of the model, or the name itself."""
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


LABELS = {model._meta.label_lower: model for model in (Pilot, SuccessCriterion, PilotEvaluation)}
LABELS[CriterionResult._meta.label_lower] = CriterionResult


def changes_since(pilot: Pilot, version: int | None) -> list[AuditEntry]:
    """Entries on the pilot and everything under it recorded after the entry that set its
    version to ``version`` (all of them when the form had no version)."""
    after = anchor_seq(AuditEntry.objects.for_object(pilot), version)
    entries = list(
        AuditEntry.objects.filter(
            algorithm_id=pilot.algorithm_id, object_type__in=PILOT_OBJECT_TYPES, seq__gt=after
        )
        .select_related("actor")
        .order_by("seq")[:50]
    )
    for entry in entries:
        model = LABELS.get(entry.object_type)
        entry.rows = [
            (field_label(model, name), values[0], values[1])
            for name, values in (entry.changes or {}).items()
            if name != "version" and isinstance(values, list) and len(values) == 2
        ]
    return entries


def locked_algorithm(algorithm: Algorithm) -> Algorithm:
    return Algorithm.objects.select_for_update(no_key=True).get(pk=algorithm.pk)


def _bump(pilot: Pilot, actor, algorithm: Algorithm, action: str, changes: dict) -> None:
    old = pilot.version
    pilot.version = old + 1
    changes = {**changes, "version": [old, pilot.version]}
    record(actor=actor, obj=pilot, action=action, changes=changes, algorithm=algorithm)


@trail.atomic
def save_pilot(
    algorithm: Algorithm,
    actor,
    *,
    expected_version: int | None,
    values: dict,
    criteria: list[CriterionSpec],
) -> Pilot:
    """Create the current pilot (``expected_version`` None) or update it, with its
    success criteria. Raises PilotRefused or StalePilot; nothing is saved then."""
    algorithm = locked_algorithm(algorithm)
    if not in_pilot_stage(algorithm):
        raise PilotRefused(NOT_IN_PILOT)
    if not [spec for spec in criteria if not spec.delete]:
        raise PilotRefused("Geef ten minste één succescriterium.")
    pilot = open_pilot(algorithm, lock=True)
    if (pilot.version if pilot else None) != expected_version:
        if pilot is None:
            raise PilotRefused(
                "Deze pilot is intussen afgesloten met een pilotbesluit en kan niet meer "
                "worden gewijzigd."
            )
        raise StalePilot(pilot, expected_version)
    if pilot is None:
        pilot = Pilot(algorithm=algorithm, created_by=actor, **values)
        pilot.full_clean(exclude=["algorithm", "created_by"])
        pilot.save()
        record(
            actor=actor,
            obj=pilot,
            action="create",
            changes=changes_between({}, snapshot(pilot, (*PILOT_FIELDS, "version"))),
            algorithm=algorithm,
        )
        _save_criteria(pilot, actor, algorithm, criteria)
        return pilot

    before = snapshot(pilot, PILOT_FIELDS)
    for name in PILOT_FIELDS:
        setattr(pilot, name, values[name])
    pilot.full_clean(exclude=["algorithm", "created_by"])
    changes = changes_between(before, snapshot(pilot, PILOT_FIELDS))
    criteria_changed = _save_criteria(pilot, actor, algorithm, criteria)
    if changes or criteria_changed:
        _bump(pilot, actor, algorithm, "update", changes)
        pilot.save(update_fields=[*PILOT_FIELDS, "version"])
    return pilot


def _save_criteria(pilot: Pilot, actor, algorithm: Algorithm, specs: list[CriterionSpec]) -> bool:
    """Create, update and remove success criteria; True when anything changed."""
    existing = {criterion.pk: criterion for criterion in pilot.criteria.all()}
    results = CriterionResult.objects.filter(criterion__pilot=pilot)
    measured = set(results.values_list("criterion_id", flat=True))
    changed = False
    position = 0
    for spec in specs:
        values = {"name": spec.name, "metric": spec.metric, "expected": spec.expected}
        if spec.pk is None:
            if spec.delete:
                continue
            position += 1
            criterion = SuccessCriterion.objects.create(pilot=pilot, position=position, **values)
            record(
                actor=actor,
                obj=criterion,
                action="create",
                changes=changes_between({}, values),
                algorithm=algorithm,
            )
            changed = True
            continue
        criterion = existing.get(spec.pk)
        if criterion is None:
            raise PilotRefused(
                "Een succescriterium hoort niet bij deze pilot; laad de pagina opnieuw."
            )
        if spec.delete:
            if criterion.pk in measured:
                raise PilotRefused(
                    f"Het succescriterium '{criterion.name}' is al gemeten in de evaluatie en "
                    "kan niet worden verwijderd."
                )
            record(
                actor=actor,
                obj=criterion,
                action="delete",
                changes=changes_between(snapshot(criterion, CRITERION_FIELDS), {}),
                algorithm=algorithm,
            )
            criterion.delete()
            changed = True
            continue
        position += 1
        before = snapshot(criterion, (*CRITERION_FIELDS, "position"))
        for name, value in values.items():
            setattr(criterion, name, value)
        criterion.position = position
        diff = changes_between(before, snapshot(criterion, (*CRITERION_FIELDS, "position")))
        if diff:
            criterion.save(update_fields=[*CRITERION_FIELDS, "position"])
            if set(diff) - {"position"}:
                record(
                    actor=actor, obj=criterion, action="update", changes=diff, algorithm=algorithm
                )
                changed = True
    return changed


@trail.atomic
def save_evaluation(
    pilot: Pilot,
    actor,
    *,
    expected_version: int,
    values: dict,
    results: dict[int, tuple[str, bool]],
) -> PilotEvaluation:
    """Record (or correct) the evaluation: per success criterion the measured value and
    whether it was met, and the findings. Raises PilotRefused or StalePilot."""
    algorithm = locked_algorithm(pilot.algorithm)
    if not in_pilot_stage(algorithm):
        raise PilotRefused(NOT_IN_PILOT)
    current = open_pilot(algorithm, lock=True)
    if current is None or current.pk != pilot.pk:
        raise PilotRefused(
            "Deze pilot is afgesloten met een pilotbesluit; de evaluatie staat vast."
        )
    pilot = current
    if pilot.version != expected_version:
        raise StalePilot(pilot, expected_version)
    criteria = list(pilot.criteria.all())
    if {criterion.pk for criterion in criteria} != set(results):
        raise StalePilot(pilot, expected_version)

    evaluation = pilot.evaluation_or_none
    changed = False
    if evaluation is None:
        evaluation = PilotEvaluation.objects.create(pilot=pilot, evaluated_by=actor, **values)
        record(
            actor=actor,
            obj=evaluation,
            action="create",
            changes=changes_between({}, snapshot(evaluation, EVALUATION_FIELDS)),
            algorithm=algorithm,
        )
        changed = True
    else:
        before = snapshot(evaluation, (*EVALUATION_FIELDS, "evaluated_by"))
        for name in EVALUATION_FIELDS:
            setattr(evaluation, name, values[name])
        evaluation.evaluated_by = actor
        evaluation.evaluated_at = timezone.now()
        diff = changes_between(before, snapshot(evaluation, (*EVALUATION_FIELDS, "evaluated_by")))
        if set(diff) - {"evaluated_by"}:
            evaluation.save(update_fields=[*EVALUATION_FIELDS, "evaluated_by", "evaluated_at"])
            record(actor=actor, obj=evaluation, action="update", changes=diff, algorithm=algorithm)
            changed = True

    stored = {row.criterion_id: row for row in evaluation.results.all()}
    for criterion in criteria:
        measured_value, met = results[criterion.pk]
        row = stored.get(criterion.pk)
        new = {"criterion": criterion.name, "measured_value": measured_value, "met": met}
        if row is None:
            row = CriterionResult.objects.create(
                evaluation=evaluation, criterion=criterion, measured_value=measured_value, met=met
            )
            record(
                actor=actor,
                obj=row,
                action="create",
                changes=changes_between({}, new),
                algorithm=algorithm,
            )
            changed = True
            continue
        old = {"criterion": criterion.name, "measured_value": row.measured_value, "met": row.met}
        diff = changes_between(old, new)
        if diff:
            row.measured_value, row.met = measured_value, met
            row.save(update_fields=["measured_value", "met"])
            record(actor=actor, obj=row, action="update", changes=diff, algorithm=algorithm)
            changed = True
    if changed:
        _bump(pilot, actor, algorithm, "evaluate", {})
        pilot.save(update_fields=["version"])
    return evaluation
