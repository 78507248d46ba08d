"""Move an algorithm to a newer Algoritmekader release, keeping all the team's work.

``plan_upgrade(algorithm, release)`` is the preview (pure computation, no writes):
it compares the two releases (tracker.catalog.compare: matched by file slug without
number and code, then title, never by URN alone), evaluates which items of the new
release apply to the algorithm's phase, stage and profile, and sorts its checklist:

- *carried*: a row whose item has a partner in the new release that applies. It moves
  to that item (the row itself, so status, owner, due date, justification, work
  instruction, evidence, residual risks, comments and item go/no-go all stay with
  it). Changed in substance: it is marked *opnieuw beoordelen* with what changed, and
  blocks go-live until an editor confirms it. Changed in form only: nothing to do.
- *retired*: a row whose item is gone, or whose partner does not apply: retired with
  date and reason, as a phase change retires, never deleted;
- *added*: an item of the new release that applies and had no row: a new open row;
- URN warnings about the algorithm's own items (a URN that now names another item).

``apply_upgrade(algorithm, release, actor, expected_version)`` plans again under a
row lock on the algorithm and carries the plan out in one transaction: every row
changed gets its ``version`` bumped (a form opened before is refused as stale, 409)
and one audit entry; the algorithm gets its new release, a bumped version and one
entry. Recorded decisions and their frozen snapshots are not touched.
"""

import copy
from dataclasses import dataclass, field

from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.audit import trail
from tracker.audit.trail import Pending, record_many
from tracker.catalog.compare import Comparison, Pair, PairClass, UrnWarning, compare
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.checklist.actions import StaleEdit, changes_since
from tracker.checklist.evaluation import Judged, evaluate
from tracker.checklist.models import ChecklistItem
from tracker.checklist.sync import add_items

CHECKLIST_KINDS = (CatalogItem.Kind.REQUIREMENT, CatalogItem.Kind.MEASURE)


class UpgradeRefused(Exception):
    """The upgrade cannot be done (not newer, another kind of release)."""


class StaleUpgrade(Exception):
    """The algorithm changed since the preview was shown; nothing was written."""

    def __init__(self, algorithm: Algorithm):
        super().__init__(f"algorithm {algorithm.slug} changed meanwhile (now v{algorithm.version})")
        self.algorithm = algorithm


@dataclass(frozen=True)
class Carried:
    row: ChecklistItem
    pair: Pair
    judged: Judged

    @property
    def substance(self) -> bool:
        return self.pair.klass == PairClass.SUBSTANCE


@dataclass(frozen=True)
class Leaving:
    row: ChecklistItem
    pair: Pair | None
    reason: str

    @property
    def texts(self) -> list[str]:
        return [self.reason]


@dataclass
class UpgradePlan:
    algorithm: Algorithm
    old_release: ContentRelease
    new_release: ContentRelease
    comparison: Comparison | None = None
    carried: list[Carried] = field(default_factory=list)
    retired: list[Leaving] = field(default_factory=list)
    added: list[Judged] = field(default_factory=list)
    urn_warnings: list[UrnWarning] = field(default_factory=list)

    @property
    def already_newest(self) -> bool:
        return self.old_release.pk == self.new_release.pk

    @property
    def unchanged(self) -> list[Carried]:
        return [c for c in self.carried if not c.substance]

    @property
    def to_review(self) -> list[Carried]:
        return [c for c in self.carried if c.substance]

    def summary(self) -> str:
        if self.already_newest:
            return f"{self.algorithm.slug}: volgt al release {self.new_release}; er verandert niets"
        return (
            f"{self.algorithm.slug}: {self.old_release} -> {self.new_release}: "
            f"{len(self.unchanged)} overgenomen, {len(self.to_review)} overgenomen en opnieuw "
            f"beoordelen, {len(self.added)} nieuw, {len(self.retired)} vervallen, "
            f"{len(self.urn_warnings)} URN-waarschuwingen"
        )

    def lines(self) -> list[str]:
        """The preview as text lines (the management command prints these)."""
        out = [self.summary()]
        for carried in self.to_review:
            out.append(f"  opnieuw beoordelen: {carried.pair}")
            out += [f"      {d}" for d in carried.pair.substance]
        out += [f"  nieuw: {judged.item.slug}" for judged in self.added]
        out += [
            f"  vervalt: {leaving.row.catalog_item.slug} ({leaving.reason})"
            for leaving in self.retired
        ]
        out += [f"  warning: {warning}" for warning in self.urn_warnings]
        return out


def _check(algorithm: Algorithm, release: ContentRelease) -> None:
    if release.kind != ContentRelease.Source.ALGORITMEKADER:
        raise UpgradeRefused(f"{release} is geen release van het Algoritmekader")
    current = algorithm.release
    if release.pk != current.pk and release.sort_key() < current.sort_key():
        raise UpgradeRefused(
            f"{release} is ouder dan de release die {algorithm.slug} volgt ({current})"
        )


def plan_upgrade(algorithm: Algorithm, release: ContentRelease, comparison=None) -> UpgradePlan:
    """What moving the algorithm to ``release`` would do. No writes."""
    _check(algorithm, release)
    result = UpgradePlan(algorithm, algorithm.release, release)
    if result.already_newest:
        return result
    comparison = comparison or compare(algorithm.release, release)
    result.comparison = comparison
    moved = copy.copy(algorithm)
    moved.release = release
    evaluation = evaluate(
        moved, phase=algorithm.phase, stage=algorithm.stage, profile=algorithm.profile()
    )
    applicable = {j.item.pk: j for j in evaluation.applicable if j.item.release_id == release.pk}
    not_applicable = {j.item.pk: j for j in evaluation.not_applicable}
    pairs = comparison.by_old_id()
    rows = list(
        algorithm.items.filter(
            catalog_item__release=algorithm.release, catalog_item__kind__in=CHECKLIST_KINDS
        ).select_related("catalog_item")
    )
    taken: set[int] = set()
    own_items: set[int] = set()
    for row in rows:
        own_items.add(row.catalog_item_id)
        pair = pairs.get(row.catalog_item_id)
        target = pair.new if pair is not None else None
        if target is not None and target.pk in applicable:
            result.carried.append(Carried(row, pair, applicable[target.pk]))
            taken.add(target.pk)
        elif not row.is_retired:
            result.retired.append(
                Leaving(row, pair, _leaving_reason(release, target, not_applicable))
            )
    already = set(
        algorithm.items.filter(catalog_item__release=release).values_list(
            "catalog_item_id", flat=True
        )
    )
    result.added = [
        judged for pk, judged in applicable.items() if pk not in taken and pk not in already
    ]
    result.urn_warnings = [w for w in comparison.urn_warnings if w.old.pk in own_items]
    return result


def _leaving_reason(release, target, not_applicable) -> str:
    if target is None:
        return f"Vervallen in release {release}"
    judged = not_applicable.get(target.pk)
    texts = "; ".join(judged.texts) if judged else ""
    return f"Niet van toepassing in release {release}" + (f": {texts}" if texts else "")


def review_record(carried: Carried, old: ContentRelease, new: ContentRelease) -> dict:
    """What ``ChecklistItem.review_changes`` holds for an item to re-review."""
    pair = carried.pair
    return {
        "from": {"release": old.label, "slug": pair.old.slug, "code": pair.old.code},
        "to": {"release": new.label, "slug": pair.new.slug, "code": pair.new.code},
        "differences": [d.as_dict() for d in pair.substance],
    }


def apply_upgrade(
    algorithm: Algorithm, release: ContentRelease, actor, expected_version: int | None = None
) -> UpgradePlan:
    """Move the algorithm to ``release`` in one transaction (see the module docstring).

    ``expected_version`` is the algorithm's version the preview was made at; when the
    algorithm changed since, StaleUpgrade is raised and nothing is written."""
    with trail.atomic():
        locked = (
            Algorithm.objects.select_for_update(of=("self",), no_key=True)
            .select_related("release")
            .get(pk=algorithm.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise StaleUpgrade(locked)
        plan = plan_upgrade(locked, release)
        if plan.already_newest:
            return plan
        _carry_out(plan, actor)
    algorithm.refresh_from_db()
    return plan


def _carry_out(plan: UpgradePlan, actor) -> None:
    algorithm, old, new = plan.algorithm, plan.old_release, plan.new_release
    now = timezone.now()
    entries: list[Pending] = []
    moved = []
    for carried in plan.carried:
        row = carried.row
        before = {
            "catalog_item": str(row.catalog_item),
            "version": row.version,
            "retired_at": row.retired_at,
        }
        row.catalog_item = carried.pair.new
        row.reasons = list(carried.judged.reasons)
        row.origin_phase = carried.judged.origin
        row.version += 1
        row.updated_at = now
        changes = {
            "catalog_item": [before["catalog_item"], str(carried.pair.new)],
            "release": [old.label, new.label],
            "version": [before["version"], row.version],
        }
        if row.retired_at is not None:
            changes["retired_at"] = [row.retired_at, None]
            changes["retired_reason"] = [row.retired_reason, ""]
            row.retired_at, row.retired_reason = None, ""
        if carried.substance:
            row.review_since = now
            row.review_changes = review_record(carried, old, new)
            changes["review_since"] = [None, now]
            changes["review_changes"] = [None, [str(d) for d in carried.pair.substance]]
        moved.append(row)
        entries.append(
            Pending(
                actor=actor,
                obj=row,
                action="item_release_upgraded",
                changes=changes,
                algorithm=algorithm,
            )
        )
    ChecklistItem.objects.bulk_update(
        moved,
        [
            "catalog_item",
            "reasons",
            "origin_phase",
            "version",
            "updated_at",
            "retired_at",
            "retired_reason",
            "review_since",
            "review_changes",
        ],
        batch_size=500,
    )
    retired = []
    for leaving in plan.retired:
        row = leaving.row
        row.retired_at, row.retired_reason = now, leaving.reason
        row.version += 1
        row.updated_at = now
        retired.append(row)
        entries.append(
            Pending(
                actor=actor,
                obj=row,
                action="item_retired",
                changes={
                    "retired_at": [None, now],
                    "retired_reason": ["", leaving.reason],
                    "version": [row.version - 1, row.version],
                },
                algorithm=algorithm,
            )
        )
    ChecklistItem.objects.bulk_update(
        retired, ["retired_at", "retired_reason", "version", "updated_at"], batch_size=500
    )
    entries += add_items(algorithm, plan.added, actor, f"Overgestapt op release {new}")
    Algorithm.objects.filter(pk=algorithm.pk).update(
        release=new, version=algorithm.version + 1, updated_at=now
    )
    entries.append(
        Pending(
            actor=actor,
            obj=algorithm,
            action="release_upgraded",
            changes={
                "release": [old.label, new.label],
                "version": [algorithm.version, algorithm.version + 1],
                "carried": [None, len(plan.unchanged)],
                "to_review": [None, len(plan.to_review)],
                "added": [None, len(plan.added)],
                "retired": [None, len(plan.retired)],
            },
            algorithm=algorithm,
        )
    )
    record_many(entries)


@trail.atomic
def confirm_review(row: ChecklistItem, actor, expected_version: int) -> ChecklistItem:
    """An editor confirms an item marked *opnieuw beoordelen*: it no longer blocks.

    A conditional UPDATE on the version, as every versioned save (stale: StaleEdit)."""
    now = timezone.now()
    updated = ChecklistItem.objects.filter(
        pk=row.pk, version=expected_version, review_since__isnull=False
    ).update(review_since=None, review_changes={}, version=expected_version + 1, updated_at=now)
    if not updated:
        current = ChecklistItem.objects.get(pk=row.pk)
        raise StaleEdit(current, changes_since(current, expected_version))
    before = row.review_changes
    row.refresh_from_db()
    record_many(
        [
            Pending(
                actor=actor,
                obj=row,
                action="item_review_confirmed",
                changes={
                    "review_since": [row_review_since(before), None],
                    "review_changes": [[str(d) for d in _differences(before)], None],
                    "version": [expected_version, row.version],
                },
                algorithm=row.algorithm,
            )
        ]
    )
    return row


def row_review_since(record: dict) -> str:
    frm, to = record.get("from") or {}, record.get("to") or {}
    return f"{frm.get('release', '?')} {frm.get('slug', '')} -> {to.get('release', '?')}".strip()


def _differences(record: dict) -> list[str]:
    shown = []
    for d in record.get("differences") or ():
        parts = [f"- {t}" for t in d.get("removed") or ()] + [
            f"+ {t}" for t in d.get("added") or ()
        ]
        shown.append(f"{d.get('field')}: " + (" | ".join(parts) if parts else "gewijzigd"))
    return shown
