"""Keep an algorithm's checklist in line with its phase, stage and AI profile.

``evaluate()`` judges the catalog items in the algorithm's phase scope for a profile
(which apply, which do not, and why; ``tracker.applicability.scope``: the current
phase, every earlier one and the organisation-wide items, each with its origin);
``plan()`` compares that with the checklist the algorithm has (pure computation, no
writes); ``apply()`` carries a plan out in one transaction with audit records.

The items of a phase are the vereisten and maatregelen of the algorithm's release
(tracker.applicability decides which apply) plus the criteria of the latest content
pack whose ``stap`` matches the algorithm's stage (pilot / productie). The criterion
with ``verplicht-bij`` is on the list for every production algorithm: whether it is
mandatory (impactful, high-risk) is the go-live gate's business.

Checklist rows are never deleted: a row that stops applying is retired with date
and reason and keeps everything the team recorded; it is reactivated when it
applies again.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from tracker.applicability import AIProfile, Verdict
from tracker.applicability.scope import (
    origin_name,
    origin_text,
    scoped_checklist,
    upcoming_text,
)
from tracker.audit import trail
from tracker.audit.trail import Pending, record_many
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.catalog.phases import Phase
from tracker.checklist.models import ChecklistItem

# Reason codes of our own, next to tracker.applicability.ReasonCode.
CRITERION_STAGE = "criterion_stage"
CRITERION_OTHER_STAGE = "criterion_other_stage"
CRITERION_MANDATORY_WHEN = "criterion_mandatory_when"
NOT_IN_PHASE = "not_in_phase"
OTHER_RELEASE = "other_release"
PHASE_ORIGIN = "phase_origin"

STAGE_NAMES = {"pilot": "pilot", "productie": "productie"}
MANDATORY_NAMES = {
    "impactvol": "een impactvol algoritme",
    "hoog-risico-ai-systeem": "een hoog-risico-AI-systeem",
}

Reasons = tuple[dict, ...]  # each {"code": ..., "text": ...}: what ChecklistItem.reasons holds


def _reason(code: str, text: str) -> dict:
    return {"code": code, "text": text}


def verdict_reasons(verdict: Verdict) -> Reasons:
    """A verdict's reasons as JSON-ready dicts with a code and a Dutch text."""
    return tuple(_reason(str(reason.code), reason.text) for reason in verdict.reasons)


@dataclass(frozen=True)
class _Row:
    """A catalog row in the shape tracker.applicability reads (links and phases as slugs)."""

    item: CatalogItem
    phases: frozenset[str]
    links: tuple[str, ...]

    kind = property(lambda self: self.item.kind)
    slug = property(lambda self: self.item.slug)
    code = property(lambda self: self.item.code)
    labels = property(lambda self: self.item.labels or {})
    exceptions = property(lambda self: self.item.exceptions or ())


@dataclass(frozen=True)
class Judged:
    item: CatalogItem
    reasons: Reasons
    origin: str = ""  # the phase it comes from (in scope) or comes in (upcoming)

    @property
    def origin_name(self) -> str:
        return origin_name(self.origin)

    @property
    def texts(self) -> list[str]:
        return [reason["text"] for reason in self.reasons]


@dataclass(frozen=True)
class Evaluation:
    """The items in a phase scope for one profile: those that apply and those that do
    not, and (apart, never on the checklist) the applicable items of later phases."""

    applicable: list[Judged]
    not_applicable: list[Judged]
    upcoming: list[Judged] = field(default_factory=list)
    next_phase: dict[int, str] = field(default_factory=dict)  # out of scope: item id -> phase


def _catalog_rows(release: ContentRelease) -> list[_Row]:
    """Every vereiste and maatregel of the release, with phase and link slugs (3 queries)."""
    kinds = [CatalogItem.Kind.REQUIREMENT, CatalogItem.Kind.MEASURE]  # vereisten first
    items = sorted(
        CatalogItem.objects.filter(release=release, kind__in=kinds),
        key=lambda item: (kinds.index(item.kind), item.code, item.slug),
    )
    ids = [item.pk for item in items]
    phases: dict[int, set[str]] = defaultdict(set)
    for item_id, slug in CatalogItem.phases.through.objects.filter(
        catalogitem_id__in=ids
    ).values_list("catalogitem_id", "taxon__slug"):
        phases[item_id].add(slug)
    links: dict[int, list[str]] = defaultdict(list)
    for item_id, slug in CatalogItem.links.through.objects.filter(
        from_catalogitem_id__in=ids
    ).values_list("from_catalogitem_id", "to_catalogitem__slug"):
        links[item_id].append(slug)
    return [
        _Row(item, frozenset(phases[item.pk]), _link_slugs(item, links[item.pk])) for item in items
    ]


def _link_slugs(item: CatalogItem, resolved: list[str]) -> tuple[str, ...]:
    """The vereisten a maatregel links to: the resolved links, plus the slugs its front
    matter names that do not exist in the release (so that the reason can say so)."""
    listed = (item.front_matter or {}).get("vereiste") or ()
    named = [str(slug) for slug in listed if slug] if isinstance(listed, list) else []
    return tuple(dict.fromkeys([*resolved, *named]))


def _criteria(phase: str, stage: str) -> tuple[list[Judged], list[Judged]]:
    """The latest pack's criteria of the phase: (applicable, not applicable)."""
    pack = ContentRelease.latest(ContentRelease.Source.PACK)
    if pack is None:
        return [], []
    criteria = (
        CatalogItem.objects.filter(
            release=pack, kind=CatalogItem.Kind.CRITERION, phases__slug=phase
        )
        .distinct()
        .order_by("code", "slug")
    )
    applicable, not_applicable = [], []
    for item in criteria:
        step = str((item.front_matter or {}).get("stap") or "")
        if step and step == stage:
            reasons = [
                _reason(CRITERION_STAGE, f"Criterium voor de stap {STAGE_NAMES.get(step, step)}")
            ]
            mandatory = [str(v) for v in (item.front_matter or {}).get("verplicht-bij") or () if v]
            if mandatory:
                names = " of ".join(MANDATORY_NAMES.get(v, v) for v in mandatory)
                reasons.append(
                    _reason(
                        CRITERION_MANDATORY_WHEN,
                        f"Verplicht bij {names}; de go-live-toets beoordeelt dat",
                    )
                )
            applicable.append(Judged(item, tuple(reasons), phase))
        else:
            own = STAGE_NAMES.get(stage, stage) or "geen"
            theirs = STAGE_NAMES.get(step, step) or "?"
            text = f"Criterium voor de stap {theirs}; stap van het algoritme: {own}"
            not_applicable.append(Judged(item, (_reason(CRITERION_OTHER_STAGE, text),), phase))
    return applicable, not_applicable


def _judged(scoped) -> Judged:
    origin = (_reason(PHASE_ORIGIN, origin_text(scoped.phase)),)
    return Judged(scoped.item.item, verdict_reasons(scoped.verdict) + origin, scoped.phase)


def evaluate(algorithm, *, phase: str, stage: str, profile: AIProfile) -> Evaluation:
    """Which items in the scope of ``phase`` apply to the algorithm with this stage and
    profile (criteria of the content pack: those of ``phase`` itself and the stage)."""
    rows = _catalog_rows(algorithm.release)
    scoped = scoped_checklist(rows, phase, profile)
    criterion_stage = algorithm.CRITERION_STAGES.get(stage, "")
    crit_yes, crit_no = _criteria(phase, criterion_stage)
    ids = {row.slug: row.item.pk for row in rows}
    upcoming = [
        Judged(s.item.item, (_reason(NOT_IN_PHASE, upcoming_text(s.phase)),), s.phase)
        for s in scoped.upcoming
    ]
    return Evaluation(
        applicable=[_judged(s) for s in scoped.applicable] + crit_yes,
        not_applicable=[_judged(s) for s in scoped.not_applicable] + crit_no,
        upcoming=upcoming,
        next_phase={ids[slug]: phase for slug, phase in scoped.out_of_scope.items()},
    )


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
        return (_reason(NOT_IN_PHASE, upcoming_text(evaluation.next_phase[row.catalog_item_id])),)
    if row.catalog_item.release_id not in release_ids:
        return (
            _reason(
                OTHER_RELEASE,
                f"Hoort bij release {row.catalog_item.release}, niet bij de gevolgde release",
            ),
        )
    return (_reason(NOT_IN_PHASE, f"Hoort niet bij de fase {Phase(phase).label}"),)


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


@trail.atomic
def apply(algorithm, plan: SyncPlan, actor, reason: str) -> SyncPlan:
    """Carry out the plan: create, retire, reactivate and refresh rows, with audit records.

    One audit entry per changed row and one on the algorithm, appended to the chain in
    one bulk write. Never deletes a row.
    """
    now = timezone.now()
    entries: list[Pending] = []
    new_rows = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            algorithm=algorithm,
            catalog_item=judged.item,
            reasons=list(judged.reasons),
            origin_phase=judged.origin,
        )
        for judged in plan.added
    )
    entries += [
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
        for row in new_rows
    ]

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
