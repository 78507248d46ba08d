"""The recorded history in the dossier: gate decisions (with their conditions and
snapshot hashes), pilots with their evaluation, and the audit trail. Part of
build_dossier() (tracker.exports.dossier); two to three queries per part."""

from tracker.algorithms.models import Algorithm
from tracker.audit.models import AuditEntry
from tracker.decisions.models import Decision
from tracker.exports.people import person
from tracker.pilots.models import Pilot


def decisions(algorithm: Algorithm, include_snapshots: bool) -> list[dict]:
    rows = list(
        Decision.objects.filter(algorithm=algorithm)
        .select_related("decided_by")
        .prefetch_related("conditions__owner")
        .order_by("decided_at", "id")
    )
    superseded_by = {row.supersedes_id: row.pk for row in rows if row.supersedes_id}
    result = []
    for row in rows:
        result.append(
            {
                "id": row.pk,
                "gate": row.gate,
                "gate_label": row.get_gate_display(),
                "outcome": row.outcome,
                "outcome_label": row.get_outcome_display(),
                "rationale": row.rationale,
                "decided_by": person(row.decided_by),
                "decided_at": row.decided_at,
                "supersedes_id": row.supersedes_id,
                "superseded_by_id": superseded_by.get(row.pk),
                "current": row.pk not in superseded_by,
                "snapshot_hash": row.snapshot_hash,
                "snapshot_verifies": row.snapshot_verifies(),
                "snapshot_taken_at": (row.snapshot or {}).get("taken_at"),
                "snapshot": row.snapshot if include_snapshots else None,
                "conditions": [
                    {
                        "id": condition.pk,
                        "blocker_key": condition.blocker_key,
                        "blocker_label": condition.blocker_label,
                        "description": condition.description,
                        "owner": person(condition.owner),
                        "due_date": condition.due_date,
                        "status": condition.status,
                        "status_label": condition.get_status_display(),
                        "completed_at": condition.completed_at,
                    }
                    for condition in row.conditions.all()
                ],
            }
        )
    return result


def pilots(algorithm: Algorithm) -> list[dict]:
    pilots = (
        Pilot.objects.filter(algorithm=algorithm)
        .select_related("created_by", "evaluation__evaluated_by")
        .prefetch_related("criteria", "evaluation__results")
        .order_by("-start_date", "-id")
    )
    result = []
    for pilot in pilots:
        evaluation = getattr(pilot, "evaluation", None)
        results = {row.criterion_id: row for row in evaluation.results.all()} if evaluation else {}
        result.append(
            {
                "id": pilot.pk,
                "start_date": pilot.start_date,
                "end_date": pilot.end_date,
                "max_cases": pilot.max_cases,
                "other_limit": pilot.other_limit,
                "units": pilot.units,
                "processes_production_data": pilot.processes_production_data,
                "legal_basis": pilot.legal_basis,
                "legal_basis_url": pilot.legal_basis_url,
                "participants": pilot.participants,
                "agreements": pilot.agreements,
                "created_by": person(pilot.created_by),
                "created_at": pilot.created_at,
                "success_criteria": [
                    {
                        "id": criterion.pk,
                        "name": criterion.name,
                        "metric": criterion.metric,
                        "expected": criterion.expected,
                        "measured_value": results[criterion.pk].measured_value
                        if criterion.pk in results
                        else None,
                        "met": results[criterion.pk].met if criterion.pk in results else None,
                    }
                    for criterion in pilot.criteria.all()
                ],
                "evaluation": None
                if evaluation is None
                else {
                    "usability_findings": evaluation.usability_findings,
                    "other_findings": evaluation.other_findings,
                    "evaluated_by": person(evaluation.evaluated_by),
                    "evaluated_at": evaluation.evaluated_at,
                },
            }
        )
    return result


def audit(algorithm: Algorithm, limit: int | None) -> dict:
    """All entries oldest first, or (``limit``) the most recent ones with the total."""
    rows = AuditEntry.objects.filter(algorithm=algorithm)
    if limit is None:
        entries = list(rows.order_by("seq"))
        total = len(entries)
    else:
        entries = list(rows.order_by("-seq")[:limit])[::-1]
        total = len(entries) if len(entries) < limit else rows.count()
    return {
        "total": total,
        "complete": len(entries) == total,
        "entries": [
            {
                "seq": entry.seq,
                "at": entry.at,
                "actor": entry.actor_name,
                "object_type": entry.object_type,
                "object_type_label": entry.object_type_label,
                "object_id": entry.object_id,
                "object_repr": entry.object_repr,
                "action": entry.action,
                "action_label": entry.action_label,
                "changes": entry.changes,
                "change_list": [
                    {"field": c.field, "label": c.label, "old": c.old, "new": c.new}
                    for c in entry.change_list()
                ],
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            }
            for entry in entries
        ],
    }
