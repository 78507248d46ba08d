"""The audit dossier of one algorithm, collected once and shared by every export.

``build_dossier(algorithm, generated_by=...)`` reads everything the PDF, the JSON and
the CSV show, in a fixed number of queries however many items, evidence entries or
audit entries there are (see ``DOSSIER_QUERIES``), and returns one plain dict. Its keys
are the JSON export's keys (documented in README.md and dossier.schema.json); values
are plain Python: str, int, bool, None, lists, dicts, and aware datetimes and dates,
which the JSON export writes as ISO 8601 and the PDF shows in Europe/Amsterdam.

Readiness comes from tracker.gates.readiness and the progress figures from
tracker.checklist.progress: "ready" is defined there, never here.
"""

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from tracker.algorithms.models import Algorithm, Membership
from tracker.catalog.models import CatalogItem, Taxon
from tracker.checklist.grouping import group_by_requirement
from tracker.checklist.models import ChecklistItem, ItemDecision
from tracker.checklist.progress import progress_for
from tracker.checklist.reasons import reason_texts
from tracker.checklist.rows import Row
from tracker.evidence.models import Evidence
from tracker.exports import records
from tracker.exports.annex import norm_annex
from tracker.exports.people import person
from tracker.gates.readiness import CATEGORY_TITLES, go_live_readiness
from tracker.register.dossier import register_section
from tracker.risks.models import ResidualRisk

FORMAT = "algokader-dossier"
FORMAT_VERSION = 1
RETIRED_GROUP = "Niet meer van toepassing"
# Queries of build_dossier(): algorithm's members, items (+ topics, links, evidence,
# risks, item decisions), decisions (+ conditions), pilots (+ criteria, evaluation
# results), audit entries (+ count when limited), progress, readiness (3), norms (+ measures),
# the latest decision-aid run (the grounds for the AI profile), the register entry (2 without
# an imported standard; with one, 3 more for the prefill).
DOSSIER_QUERIES = 23


def _algorithm(algorithm: Algorithm) -> dict:
    return {
        "id": algorithm.pk,
        "slug": algorithm.slug,
        "name": algorithm.name,
        "description": algorithm.description,
        "organisation": {
            "name": algorithm.organisation.name,
            "slug": algorithm.organisation.slug,
        },
        "phase": algorithm.phase,
        "phase_label": algorithm.get_phase_display(),
        "stage": algorithm.stage,
        "stage_label": algorithm.get_stage_display() if algorithm.stage else "",
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
        "ai_profile_rows": [
            {"label": label, "value": value} for label, value in algorithm.profile_rows()
        ],
        "version": algorithm.version,
        "created_at": algorithm.created_at,
        "updated_at": algorithm.updated_at,
    }


def _evidence(row: Evidence) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "title": row.title,
        "file_name": row.file_name,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "url": row.url,
        "note": row.note,
        "added_by": person(row.added_by),
        "added_at": row.added_at,
        "withdrawn": row.withdrawn_at is not None,
        "withdrawn_at": row.withdrawn_at,
        "withdrawn_by": person(row.withdrawn_by),
        "withdrawal_reason": row.withdrawal_reason,
    }


def _risk(row: ResidualRisk, today) -> dict:
    return {
        "id": row.pk,
        "description": row.description,
        "likelihood": row.likelihood,
        "impact": row.impact,
        "score": row.score,
        "mitigation": row.mitigation,
        "owner": person(row.owner),
        "created_by": person(row.created_by),
        "created_at": row.created_at,
        "accepted": row.is_accepted(today),
        "acceptance_expired": row.accepted_at is not None and not row.is_accepted(today),
        "accepted_by": person(row.accepted_by),
        "accepted_at": row.accepted_at,
        "acceptance_expires": row.acceptance_expires,
    }


def _item_decision(row: ItemDecision) -> dict:
    return {
        "id": row.pk,
        "verdict": row.verdict,
        "verdict_label": row.get_verdict_display(),
        "conditions": row.conditions,
        "rationale": row.rationale,
        "decided_by": person(row.decided_by),
        "decided_at": row.decided_at,
    }


def _reasons(raw) -> list[dict]:
    """Why the item applies, as {code, text}: the sync stores dicts, older rows strings."""
    rows = []
    for reason in raw or []:
        code = reason.get("code", "") if isinstance(reason, dict) else ""
        for text in reason_texts([reason]):
            rows.append({"code": str(code or ""), "text": text})
    return rows


def _item(item: ChecklistItem, today) -> dict:
    catalog: CatalogItem = item.catalog_item
    risks = [_risk(row, today) for row in item.risks.all()]
    return {
        "id": item.pk,
        "catalog_item_id": catalog.pk,
        "urn": catalog.urn,
        "code": catalog.code,
        "slug": catalog.slug,
        "kind": catalog.kind,
        "kind_label": catalog.get_kind_display(),
        "title": catalog.title,
        "path": catalog.path,
        "fingerprint": catalog.fingerprint,
        "topics": [topic.title for topic in catalog.topics.all()],
        "linked_requirements": sorted(
            link.code or link.slug
            for link in catalog.links.all()
            if link.kind == CatalogItem.Kind.REQUIREMENT
        ),
        "status": item.status,
        "status_label": item.get_status_display(),
        "owner": person(item.owner),
        "due_date": item.due_date,
        "overdue": item.is_overdue(today) and not item.is_retired,
        "justification": item.justification,
        "reasons": _reasons(item.reasons),
        "work_instruction": item.work_instruction,
        "retired": item.is_retired,
        "retired_at": item.retired_at,
        "retired_reason": item.retired_reason,
        "version": item.version,
        "updated_at": item.updated_at,
        "evidence": [_evidence(row) for row in item.evidence.all()],
        "risks": risks,
        "open_risk_count": sum(1 for risk in risks if not risk.get("accepted")),
        "item_decisions": [_item_decision(row) for row in item.decisions.all()],
        "norms": [],  # filled in by the annex: "ADR DM.3", ...
    }


def _load_items(algorithm: Algorithm) -> list[ChecklistItem]:
    return list(
        algorithm.items.select_related("catalog_item", "owner")
        .defer("catalog_item__body", "catalog_item__summary", "catalog_item__front_matter")
        .prefetch_related(
            Prefetch(
                "catalog_item__topics",
                queryset=Taxon.objects.only("id", "slug", "title", "position"),
            ),
            Prefetch(
                "catalog_item__links",
                queryset=CatalogItem.objects.only("id", "kind", "code", "slug"),
            ),
            Prefetch(
                "evidence", queryset=Evidence.objects.with_people().order_by("added_at", "id")
            ),
            Prefetch(
                "risks",
                queryset=ResidualRisk.objects.with_people().order_by("id"),
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


def _groups(items: list[ChecklistItem]) -> list[dict]:
    """Current items as vereiste -> its maatregelen (tracker.checklist.grouping), then
    the retired ones; every item in exactly one group."""
    current = [
        Row.from_item(item, links=tuple(link.pk for link in item.catalog_item.links.all()))
        for item in items
        if not item.is_retired
    ]
    requirements = [row for row in current if row.kind == CatalogItem.Kind.REQUIREMENT]
    groups = [
        {"key": group.key, "title": group.title, "item_ids": [row.pk for row in group.rows]}
        for group in group_by_requirement(current, requirements)
    ]
    retired = [item.pk for item in items if item.is_retired]
    if retired:
        groups.append({"key": "vervallen", "title": RETIRED_GROUP, "item_ids": retired})
    return groups


def _summary(algorithm: Algorithm, today) -> dict:
    progress = progress_for(algorithm.items.all(), today)
    readiness = go_live_readiness(algorithm, today)
    return {
        "progress": {
            "total": progress.total,
            "ready": progress.ready,
            "done": progress.done,
            "not_applicable": progress.not_applicable,
            "open": progress.open,
            "in_progress": progress.in_progress,
            "overdue": progress.overdue,
            "percent_ready": progress.percent_ready,
        },
        "go_live_ready": readiness.ready,
        "affected_persons_mandatory": readiness.affected_persons_mandatory,
        "blocker_counts": [
            {"category": key, "title": title, "count": count}
            for key, title, count in readiness.figures
        ],
        "blockers": [
            {**blocker.as_json(), "category_title": CATEGORY_TITLES[blocker.category]}
            for blocker in readiness.blockers
        ],
        "criteria": [
            {
                "key": criterion.key,
                "title": criterion.title,
                "item_id": criterion.item_id,
                "status": criterion.status,
                "status_label": criterion.status_label,
                "ok": criterion.ok,
                "mandatory": criterion.mandatory,
            }
            for criterion in readiness.criteria
        ],
    }


def classification(algorithm: Algorithm) -> dict | None:
    """The grounds for the AI profile: the latest run of the beslishulp AI-verordening
    (tree version, every question with its answer, labels, conclusion, who, when), or
    None when the profile was entered by hand. One query."""
    run = algorithm.decision_aid_runs.select_related("tree", "created_by", "review_tree").first()
    if run is None:
        return None
    return {
        "tree": run.tree.label,
        "tree_name": run.tree.name,
        "created_at": run.created_at,
        "created_by": person(run.created_by),
        "steps": [
            {"question_id": s["question_id"], "question": s["question"], "answer": s["answer"]}
            for s in run.steps
        ],
        "labels": list(run.content_labels),
        "conclusion_id": run.conclusion_id,
        "conclusion": run.conclusion,
        "needs_review": run.needs_review,
        "review_reason": run.review_reason,
    }


def build_dossier(
    algorithm: Algorithm,
    *,
    generated_by: str,
    audit_limit: int | None = None,
    include_snapshots: bool = False,
    now: datetime | None = None,
) -> dict:
    """Everything the exports show; ``audit_limit`` keeps only the most recent entries
    (the PDF), ``include_snapshots`` adds each decision's frozen snapshot (the JSON)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    loaded = _load_items(algorithm)
    items = [_item(item, today) for item in loaded]
    members = (
        Membership.objects.filter(algorithm=algorithm)
        .select_related("user")
        .order_by("role", "user__username")
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": now,
        "generated_by": generated_by,
        "algorithm": _algorithm(algorithm),
        "release": {
            "label": algorithm.release.label,
            "kind": algorithm.release.kind,
            "content_hash": algorithm.release.content_hash,
            "imported_at": algorithm.release.imported_at,
        },
        "members": [
            {**person(row.user), "role": row.role, "role_label": row.get_role_display()}
            for row in members
        ],
        "summary": _summary(algorithm, today),
        "classification": classification(algorithm),
        "decisions": records.decisions(algorithm, include_snapshots),
        "pilots": records.pilots(algorithm),
        "items": items,
        "groups": _groups(loaded),
        "norms": norm_annex(algorithm.release, loaded, items),
        "audit": records.audit(algorithm, audit_limit),
        "register_entry": register_section(algorithm),
    }
