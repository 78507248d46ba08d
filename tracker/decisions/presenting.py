"""A stored snapshot made readable: labels in Dutch, times as aware datetimes (the
templates show them in Europe/Amsterdam), items grouped by kind. Reads snapshots
defensively: a key a later format adds is simply absent from an older one."""

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.algorithms.models import Algorithm
from tracker.applicability.labels import DIMENSIONS
from tracker.catalog.models import CatalogItem
from tracker.catalog.phases import Phase
from tracker.checklist.models import ChecklistItem, ItemDecision
from tracker.evidence.models import Evidence
from tracker.gates.readiness import CATEGORY_TITLES

STATUS = dict(ChecklistItem.Status.choices)
KIND = dict(CatalogItem.Kind.choices)
EVIDENCE_KIND = dict(Evidence.Kind.choices)
VERDICT = dict(ItemDecision.Verdict.choices)
PHASE = dict(Phase.choices)
STAGE = dict(Algorithm.Stage.choices)
KIND_PLURAL = {
    CatalogItem.Kind.CRITERION: "Criteria",
    CatalogItem.Kind.REQUIREMENT: "Vereisten",
    CatalogItem.Kind.MEASURE: "Maatregelen",
    CatalogItem.Kind.INSTRUMENT: "Hulpmiddelen",
}


def when(value) -> datetime | date | None:
    """An ISO string from a snapshot as a datetime (with a time) or a date."""
    if not value or not isinstance(value, str):
        return None
    try:
        if "T" in value:
            return datetime.fromisoformat(value)
        return date.fromisoformat(value)
    except ValueError:
        return None


@dataclass
class ItemGroup:
    kind: str
    title: str
    items: list[dict] = field(default_factory=list)


def _item(raw: dict) -> dict:
    item = dict(raw)
    item["status_label"] = STATUS.get(raw.get("status"), raw.get("status") or "—")
    item["due"] = when(raw.get("due_date"))
    item["retired_on"] = when(raw.get("retired_at"))
    item["reason_texts"] = [
        reason.get("text", "") if isinstance(reason, dict) else str(reason)
        for reason in raw.get("reasons") or []
    ]
    item["evidence"] = [
        {
            **row,
            "kind_label": EVIDENCE_KIND.get(row.get("kind"), row.get("kind")),
            "added": when(row.get("added_at")),
            "withdrawn": when(row.get("withdrawn_at")),
        }
        for row in raw.get("evidence") or []
    ]
    item["risks"] = [
        {
            **row,
            "accepted": when(row.get("accepted_at")),
            "expires": when(row.get("acceptance_expires")),
        }
        for row in raw.get("risks") or []
    ]
    decision = raw.get("latest_decision")
    item["decision"] = (
        {
            **decision,
            "verdict_label": VERDICT.get(decision.get("verdict"), decision.get("verdict")),
            "decided": when(decision.get("decided_at")),
        }
        if decision
        else None
    )
    return item


def profile_rows(profile: dict) -> list[tuple[str, str]]:
    """The frozen AI profile as (Dutch name, readable value) rows."""
    if not profile.get("is_ai_system"):
        return [("AI-systeem", "nee")]
    rows = [("AI-systeem", "ja")]
    for dim in DIMENSIONS:
        raw = profile.get(dim.field)
        values = raw if isinstance(raw, list) else [raw] if raw else []
        rows.append((dim.name, ", ".join(dim.value_name(v) for v in values) or "—"))
    return rows


def present_snapshot(snapshot: dict) -> dict:
    algorithm = dict(snapshot.get("algorithm") or {})
    algorithm["phase_label"] = PHASE.get(algorithm.get("phase"), algorithm.get("phase"))
    algorithm["stage_label"] = STAGE.get(algorithm.get("stage") or "", algorithm.get("stage"))
    algorithm["profile_rows"] = profile_rows(algorithm.get("ai_profile") or {})
    groups: dict[str, ItemGroup] = {}
    for kind, title in KIND_PLURAL.items():
        groups[kind] = ItemGroup(kind, title)
    for raw in snapshot.get("items") or []:
        kind = raw.get("kind") or ""
        groups.setdefault(kind, ItemGroup(kind, KIND.get(kind, kind)))
        groups[kind].items.append(_item(raw))
    pilot = snapshot.get("pilot")
    if pilot:
        pilot = {
            **pilot,
            "start": when(pilot.get("start_date")),
            "end": when(pilot.get("end_date")),
            "evaluated": when((pilot.get("evaluation") or {}).get("evaluated_at")),
        }
    blockers = [
        {**row, "category_title": CATEGORY_TITLES.get(row.get("category"), row.get("category"))}
        for row in snapshot.get("blockers") or []
    ]
    return {
        "taken": when(snapshot.get("taken_at")),
        "algorithm": algorithm,
        "release": snapshot.get("release"),
        "pack": snapshot.get("pack"),
        "groups": [group for group in groups.values() if group.items],
        "item_count": len(snapshot.get("items") or []),
        "pilot": pilot,
        "open_conditions": [
            {**row, "due": when(row.get("due_date"))}
            for row in snapshot.get("open_conditions") or []
        ],
        "blockers": blockers,
    }
