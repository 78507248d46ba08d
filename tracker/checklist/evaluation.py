"""Judge the catalog items in an algorithm's phase scope for a profile.

``evaluate()`` says which items apply, which do not, and why
(``tracker.applicability.scope``: the current phase, every earlier one and the
organisation-wide items, each with its origin). ``tracker.checklist.sync`` compares the
outcome with the checklist the algorithm has and carries the difference out.

The items of a phase are the vereisten and maatregelen of the algorithm's release
(tracker.applicability decides which apply) plus the criteria of the latest content
pack whose ``stap`` matches the algorithm's stage (pilot / productie). The criterion
with ``verplicht-bij`` is on the list for every production algorithm: whether it is
mandatory (impactful, high-risk) is the go-live gate's business.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from tracker.applicability import AIProfile, Verdict
from tracker.applicability.scope import origin_name, origin_text, scoped_checklist, upcoming_text
from tracker.catalog.models import CatalogItem, ContentRelease

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


def make_reason(code: str, text: str) -> dict:
    return {"code": code, "text": text}


def verdict_reasons(verdict: Verdict) -> Reasons:
    """A verdict's reasons as JSON-ready dicts with a code and a Dutch text."""
    return tuple(make_reason(str(reason.code), reason.text) for reason in verdict.reasons)


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
                make_reason(
                    CRITERION_STAGE, f"Criterium voor de stap {STAGE_NAMES.get(step, step)}"
                )
            ]
            mandatory = [str(v) for v in (item.front_matter or {}).get("verplicht-bij") or () if v]
            if mandatory:
                names = " of ".join(MANDATORY_NAMES.get(v, v) for v in mandatory)
                reasons.append(
                    make_reason(
                        CRITERION_MANDATORY_WHEN,
                        f"Verplicht bij {names}; de go-live-toets beoordeelt dat",
                    )
                )
            applicable.append(Judged(item, tuple(reasons), phase))
        else:
            own = STAGE_NAMES.get(stage, stage) or "geen"
            theirs = STAGE_NAMES.get(step, step) or "?"
            text = f"Criterium voor de stap {theirs}; stap van het algoritme: {own}"
            not_applicable.append(Judged(item, (make_reason(CRITERION_OTHER_STAGE, text),), phase))
    return applicable, not_applicable


def _judged(scoped) -> Judged:
    origin = (make_reason(PHASE_ORIGIN, origin_text(scoped.phase)),)
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
        Judged(s.item.item, (make_reason(NOT_IN_PHASE, upcoming_text(s.phase)),), s.phase)
        for s in scoped.upcoming
    ]
    return Evaluation(
        applicable=[_judged(s) for s in scoped.applicable] + crit_yes,
        not_applicable=[_judged(s) for s in scoped.not_applicable] + crit_no,
        upcoming=upcoming,
        next_phase={ids[slug]: phase for slug, phase in scoped.out_of_scope.items()},
    )
