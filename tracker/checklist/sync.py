"""Keep an algorithm's checklist in line with its phase, stage and AI profile.

``evaluate()`` (``tracker.checklist.evaluation``) judges the catalog items in the
algorithm's phase scope; ``plan()`` compares that with the checklist the algorithm has
(pure computation, no writes); ``apply()`` carries a plan out in one transaction with
audit records.

Checklist rows are never deleted: a row that stops applying is retired with date
and reason and keeps everything the team recorded; it is reactivated when it
applies again.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from tracker.applicability import AIProfile
from tracker.applicability.scope import upcoming_text
from tracker.audit import trail
from tracker.audit.trail import Pending, record_many
from tracker.catalog.models import CatalogItem
from tracker.catalog.phases import Phase
from tracker.checklist.evaluation import (
    NOT_IN_PHASE,
    OTHER_RELEASE,
    Evaluation,
    Judged,
    Reasons,
    evaluate,
    make_reason,
)
from tracker.checklist.models import ChecklistItem


@dataclass(frozen=True)
class Change:
    """An existing checklist row and the reasons it will carry."""

    checklist_item: ChecklistItem
    reasons: Reasons
    origin: str = ""

    @property
    def item(self) -> CatalogItem:
        return self.checklist_item.catalog_item

    @property
    def texts(self) -> list[str]:
        return [reason["text"] for reason in self.reasons]


@dataclass(frozen=True)
class SyncPlan:
    """What a sync will do; computed by ``plan()``, carried out by ``apply()``."""

    added: list[Judged] = field(default_factory=list)
    retired: list[Change] = field(default_factory=list)  # reasons: why it stops applying
    kept: list[Change] = field(default_factory=list)
    reactivated: list[Change] = field(default_factory=list)
    phase: str = ""
    stage: str = ""
    upcoming: list[Judged] = field(default_factory=list)  # komende fasen: shown, not added

    @property
    def retired_requirements(self) -> list[Change]:
        """The vereisten (legal obligations) that would stop applying: named in the preview."""
        return [c for c in self.retired if c.item.kind == CatalogItem.Kind.REQUIREMENT]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.retired or self.reactivated)

    def summary(self) -> str:
        return (
            f"{len(self.added)} toegevoegd, {len(self.retired)} vervallen, "
            f"{len(self.reactivated)} opnieuw van toepassing, {len(self.kept)} ongewijzigd"
        )


def _leaving_reasons(
    row: ChecklistItem, evaluation: Evaluation, phase: str, release_ids: set[int]
) -> Reasons:
    not_applicable = {judged.item.pk: judged for judged in evaluation.not_applicable}
    judged = not_applicable.get(row.catalog_item_id)
    if judged is not None:
        return judged.reasons
    if row.catalog_item_id in evaluation.next_phase:
        upcoming = upcoming_text(evaluation.next_phase[row.catalog_item_id])
        return (make_reason(NOT_IN_PHASE, upcoming),)
    if row.catalog_item.release_id not in release_ids:
        return (
            make_reason(
                OTHER_RELEASE,
                f"Hoort bij release {row.catalog_item.release}, niet bij de gevolgde release",
            ),
        )
    return (make_reason(NOT_IN_PHASE, f"Hoort niet bij de fase {Phase(phase).label}"),)


def plan(algorithm, *, phase: str, stage: str, profile: AIProfile) -> SyncPlan:
    """Compare the checklist with what applies for this phase, stage and profile. No writes."""
    evaluation = evaluate(algorithm, phase=phase, stage=stage, profile=profile)
    applicable = {judged.item.pk: judged for judged in evaluation.applicable}
    rows = {
        row.catalog_item_id: row
        for row in algorithm.items.select_related("catalog_item", "catalog_item__release")
    }
    release_ids = {algorithm.release_id} | {j.item.release_id for j in evaluation.applicable}
    result = SyncPlan(phase=phase, stage=stage, upcoming=evaluation.upcoming)
    for item_id, judged in applicable.items():
        row = rows.get(item_id)
        if row is None:
            result.added.append(judged)
        elif row.is_retired:
            result.reactivated.append(Change(row, judged.reasons, judged.origin))
        else:
            result.kept.append(Change(row, judged.reasons, judged.origin))
    for item_id, row in rows.items():
        if item_id not in applicable and not row.is_retired:
            reasons = _leaving_reasons(row, evaluation, phase, release_ids)
            result.retired.append(Change(row, reasons))
    return result


def _retired_reason(reason: str, reasons: Sequence[dict]) -> str:
    texts = "; ".join(r["text"] for r in reasons)
    return f"{reason}: {texts}" if reason and texts else (reason or texts)


def _locked_versions(ids: Sequence[int]) -> dict[int, int]:
    """The current versions of these checklist rows, locked until the transaction ends."""
    rows = ChecklistItem.objects.filter(pk__in=ids).order_by("pk")
    return dict(rows.select_for_update(no_key=True).values_list("pk", "version"))


def add_items(algorithm, added: Sequence[Judged], actor, reason: str) -> list[Pending]:
    """Create the checklist rows of these judged items; their audit entries, to append."""
    rows = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            algorithm=algorithm,
            catalog_item=judged.item,
            reasons=list(judged.reasons),
            origin_phase=judged.origin,
        )
        for judged in added
    )
    return [
        Pending(
            actor=actor,
            obj=row,
            action="item_added",
            changes={
                "reasons": [None, [r["text"] for r in row.reasons]],
                "sync_reason": [None, reason],
            },
            algorithm=algorithm,
        )
        for row in rows
    ]


@trail.atomic
def apply(algorithm, plan: SyncPlan, actor, reason: str) -> SyncPlan:
    """Carry out the plan: create, retire, reactivate and refresh rows, with audit records.

    One audit entry per changed row and one on the algorithm, appended to the chain in
    one bulk write. Never deletes a row.
    """
    now = timezone.now()
    entries: list[Pending] = add_items(algorithm, plan.added, actor, reason)

    # The plan read its rows without a lock; an edit may have moved a version since.
    # Lock the rows whose version this sync bumps (in primary-key order, like every
    # multi-row lock) and bump from the version they have now.
    versions = _locked_versions([c.checklist_item.pk for c in (*plan.retired, *plan.reactivated)])
    retired = []
    for change in plan.retired:
        row = change.checklist_item
        row.retired_at = now
        row.retired_reason = _retired_reason(reason, change.reasons)
        row.version = versions[row.pk] + 1
        row.updated_at = now
        retired.append(row)
    ChecklistItem.objects.bulk_update(
        retired, ["retired_at", "retired_reason", "version", "updated_at"]
    )
    for row in retired:
        changes = {
            "retired_at": [None, now],
            "retired_reason": ["", row.retired_reason],
            "version": [row.version - 1, row.version],
        }
        entries.append(
            Pending(
                actor=actor, obj=row, action="item_retired", changes=changes, algorithm=algorithm
            )
        )

    reactivated = []
    for change in plan.reactivated:
        row = change.checklist_item
        before = {"retired_at": row.retired_at, "retired_reason": row.retired_reason}
        row.retired_at, row.retired_reason = None, ""
        row.reasons = list(change.reasons)
        row.origin_phase = change.origin
        row.version = versions[row.pk] + 1
        row.updated_at = now
        reactivated.append((row, before))
    ChecklistItem.objects.bulk_update(
        [row for row, _ in reactivated],
        ["retired_at", "retired_reason", "reasons", "origin_phase", "version", "updated_at"],
    )
    for row, before in reactivated:
        changes = {
            "retired_at": [before["retired_at"], None],
            "retired_reason": [before["retired_reason"], ""],
            "sync_reason": [None, reason],
            "version": [row.version - 1, row.version],
        }
        entries.append(
            Pending(
                actor=actor,
                obj=row,
                action="item_reactivated",
                changes=changes,
                algorithm=algorithm,
            )
        )

    refreshed = []
    for change in plan.kept:
        row = change.checklist_item
        if list(row.reasons or []) != list(change.reasons) or row.origin_phase != change.origin:
            old = [r.get("text", r) if isinstance(r, dict) else r for r in row.reasons or []]
            row.reasons = list(change.reasons)
            row.origin_phase = change.origin
            row.updated_at = now
            refreshed.append((row, old))
    ChecklistItem.objects.bulk_update(
        [row for row, _ in refreshed], ["reasons", "origin_phase", "updated_at"]
    )
    for row, old in refreshed:
        changes = {"reasons": [old, [r["text"] for r in row.reasons]]}
        entries.append(
            Pending(
                actor=actor,
                obj=row,
                action="item_reasons_updated",
                changes=changes,
                algorithm=algorithm,
            )
        )

    entries.append(
        Pending(
            actor=actor,
            obj=algorithm,
            action="checklist_synced",
            changes={
                "sync_reason": [None, reason],
                "added": [None, len(plan.added)],
                "retired": [None, len(plan.retired)],
                "reactivated": [None, len(plan.reactivated)],
                "reasons_updated": [None, len(refreshed)],
            },
            algorithm=algorithm,
        )
    )
    record_many(entries)
    return plan


def sync(algorithm, actor, reason: str) -> SyncPlan:
    """Plan and apply for the algorithm's current phase, stage and profile."""
    planned = plan(
        algorithm, phase=algorithm.phase, stage=algorithm.stage, profile=algorithm.profile()
    )
    return apply(algorithm, planned, actor, reason)
