"""The frozen state of an algorithm, stored with every decision.

``build_snapshot(algorithm)`` returns plain JSON types only (str, int, bool, None,
lists and dicts) in a deterministic order, so the same state always gives the same
hash (Decision.hash_snapshot). Datetimes are ISO 8601 strings in UTC, dates ISO
strings; people are usernames. ``freeze(algorithm)`` returns the snapshot with its hash
and is the one helper every gate decision (go-live and pilot) records with.

A fixed number of queries however many items: the items come with their catalog
row, release and owner, and evidence, risks and item decisions are prefetched.
"""

from datetime import UTC, date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.checklist.models import ChecklistItem, ItemDecision
from tracker.decisions.models import Decision, DecisionCondition
from tracker.evidence.models import Evidence
from tracker.gates.readiness import Readiness, go_live_readiness
from tracker.risks.models import ResidualRisk

SNAPSHOT_FORMAT = 1


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _who(user) -> str | None:
    return user.get_username() if user is not None else None


def _release(release: ContentRelease | None) -> dict | None:
    if release is None:
        return None
    return {"label": release.label, "content_hash": release.content_hash, "kind": release.kind}


def _algorithm(algorithm: Algorithm) -> dict:
    return {
        "name": algorithm.name,
        "slug": algorithm.slug,
        "organisation": algorithm.organisation.name,
        "phase": algorithm.phase,
        "stage": algorithm.stage,
        "impactful": algorithm.impactful,
        "ai_profile": {
            "is_ai_system": algorithm.is_ai_system,
            "soort_toepassing": algorithm.soort_toepassing,
            "risicogroep": algorithm.risicogroep,
            "rol_ai_act": sorted(algorithm.rol_ai_act or []),
            "transparantieverplichting": algorithm.transparantieverplichting,
            "systeemrisico": algorithm.systeemrisico,
            "open_source": algorithm.open_source,
        },
        "version": algorithm.version,
    }


def _evidence(row: Evidence) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "title": row.title,
        "file_name": row.file_name,
        "sha256": row.sha256,
        "size": row.size,
        "url": row.url,
        "note": row.note,
        "added_by": _who(row.added_by),
        "added_at": _when(row.added_at),
        "withdrawn_at": _when(row.withdrawn_at),
        "withdrawn_by": _who(row.withdrawn_by),
        "withdrawal_reason": row.withdrawal_reason,
    }


def _risk(row: ResidualRisk) -> dict:
    return {
        "id": row.pk,
        "description": row.description,
        "likelihood": row.likelihood,
        "impact": row.impact,
        "mitigation": row.mitigation,
        "owner": _who(row.owner),
        "accepted_by": _who(row.accepted_by),
        "accepted_at": _when(row.accepted_at),
        "acceptance_expires": _when(row.acceptance_expires),
    }


def _item_decision(row: ItemDecision | None) -> dict | None:
    if row is None:
        return None
    return {
        "verdict": row.verdict,
        "conditions": row.conditions,
        "rationale": row.rationale,
        "decided_by": _who(row.decided_by),
        "decided_at": _when(row.decided_at),
    }


def _item(item: ChecklistItem) -> dict:
    catalog: CatalogItem = item.catalog_item
    decisions = item.decisions.all()  # prefetched, newest first
    return {
        "id": item.pk,
        "urn": catalog.urn,
        "slug": catalog.slug,
        "code": catalog.code,
        "kind": catalog.kind,
        "title": catalog.title,
        "release": catalog.release.label,
        "fingerprint": catalog.fingerprint,
        "status": item.status,
        "justification": item.justification,
        "owner": _who(item.owner),
        "due_date": _when(item.due_date),
        "work_instruction": item.work_instruction,
        "retired": item.retired_at is not None,
        "retired_at": _when(item.retired_at),
        "retired_reason": item.retired_reason,
        "reasons": item.reasons,
        "version": item.version,
        "evidence": [_evidence(row) for row in item.evidence.all()],
        "risks": [_risk(row) for row in item.risks.all()],
        "latest_decision": _item_decision(decisions[0] if decisions else None),
    }


def _items(algorithm: Algorithm) -> list[ChecklistItem]:
    return list(
        algorithm.items.select_related("catalog_item__release", "owner")
        .defer("catalog_item__body")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.with_people().order_by("added_at", "id"),
            ),
            Prefetch(
                "risks",
                queryset=ResidualRisk.objects.select_related("owner", "accepted_by").order_by("id"),
            ),
            Prefetch(
                "decisions",
                queryset=ItemDecision.objects.select_related("decided_by").order_by(
                    "-decided_at", "-id"
                ),
            ),
        )
        .order_by("catalog_item__kind", "catalog_item__code", "catalog_item__slug", "pk")
    )


def _pilot(algorithm: Algorithm) -> dict | None:
    pilot = (
        algorithm.pilots.all()
        .select_related("created_by", "evaluation__evaluated_by")
        .prefetch_related("criteria", "evaluation__results")
        .order_by("-start_date", "-id")
        .first()
    )
    if pilot is None:
        return None
    evaluation = getattr(pilot, "evaluation", None)
    results = {}
    if evaluation is not None:
        results = {row.criterion_id: row for row in evaluation.results.all()}
    return {
        "id": pilot.pk,
        "start_date": _when(pilot.start_date),
        "end_date": _when(pilot.end_date),
        "max_cases": pilot.max_cases,
        "other_limit": pilot.other_limit,
        "units": pilot.units,
        "processes_production_data": pilot.processes_production_data,
        "legal_basis": pilot.legal_basis,
        "legal_basis_url": pilot.legal_basis_url,
        "participants": pilot.participants,
        "agreements": pilot.agreements,
        "created_by": _who(pilot.created_by),
        "success_criteria": [
            {
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
            "evaluated_by": _who(evaluation.evaluated_by),
            "evaluated_at": _when(evaluation.evaluated_at),
        },
    }


def _open_conditions(algorithm: Algorithm) -> list[dict]:
    rows = (
        DecisionCondition.objects.filter(
            decision__algorithm=algorithm, status=DecisionCondition.Status.OPEN
        )
        .select_related("owner")
        .order_by("due_date", "id")
    )
    return [
        {
            "id": row.pk,
            "decision_id": row.decision_id,
            "blocker_key": row.blocker_key,
            "description": row.description,
            "owner": _who(row.owner),
            "due_date": _when(row.due_date),
        }
        for row in rows
    ]


def _pack(items: list[ChecklistItem]) -> dict | None:
    """The content pack the checklist's criteria come from (the newest if several)."""
    packs = {
        item.catalog_item.release.pk: item.catalog_item.release
        for item in items
        if item.catalog_item.release.kind == ContentRelease.Source.PACK
    }
    if not packs:
        return _release(ContentRelease.latest(ContentRelease.Source.PACK))
    return _release(packs[max(packs)])


def build_snapshot(algorithm: Algorithm, readiness: Readiness | None = None) -> dict:
    """The algorithm's full state now, as plain JSON (see the module docstring)."""
    readiness = readiness or go_live_readiness(algorithm)
    items = _items(algorithm)
    return {
        "format": SNAPSHOT_FORMAT,
        "taken_at": _when(timezone.now()),
        "algorithm": _algorithm(algorithm),
        "release": _release(algorithm.release),
        "pack": _pack(items),
        "items": [_item(item) for item in items],
        "pilot": _pilot(algorithm),
        "open_conditions": _open_conditions(algorithm),
        "blockers": [blocker.as_json() for blocker in readiness.blockers],
    }


def freeze(algorithm: Algorithm, readiness: Readiness | None = None) -> tuple[dict, str]:
    """The snapshot and its hash, as stored on a Decision."""
    snapshot = build_snapshot(algorithm, readiness)
    return snapshot, Decision.hash_snapshot(snapshot)
