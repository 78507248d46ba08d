"""Which vereisten and maatregelen apply to an AI profile, and why.

The rules (issue 3):

- For an AI system a vereiste applies when, for every label dimension it lists,
  the profile's value is among the listed values (for ``rol-ai-act``, a set: when
  any of the profile's roles is listed), and no ``uitzondering`` entry matches the
  profile's labels. A vereiste that lists no dimension applies to every AI system.
  A dimension key that is present but empty counts as not listed.
- For an algorithm that is not an AI system the AI Act vereisten (law code ``aia``)
  do not apply, and all others do, whatever AI labels they carry. Why ignore those
  labels: in v2.5.1 every non-aia vereiste lists every value of every dimension
  (arc-01 only omits ``transparantieverplichting: niet-van-toepassing``), and in
  v2.0 they list none. The labels there only say "for every kind of AI"; they
  classify AI systems and have no meaning for an algorithm that is not one (its
  profile has no values on them). The ``uitzondering`` expressions are written in
  the same labels and are ignored likewise (no non-aia vereiste has one today).
- A maatregel applies when either it links no vereiste or at least one linked
  vereiste applies to the profile. The linked vereisten are judged on the profile
  alone, in any phase: a maatregel of phase ``implementatie`` mostly links
  vereisten of other phases (awb-01, grw-02, ...). Links to slugs that do not
  exist in the release count as not linked.
- A malformed ``uitzondering`` does not hide a vereiste: it is ignored, with a
  reason saying so, and the vereiste applies if its labels do (when in doubt, the
  team should see the obligation). The importer should report it as a warning.

Phase filtering is the caller's business; ``checklist_for`` does it for plain items.
"""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from tracker.applicability.expressions import ExpressionError, parse
from tracker.applicability.labels import DIMENSIONS, dimension_name, value_name
from tracker.applicability.profile import AIProfile

AI_ACT = "aia"
REQUIREMENT = "requirement"
MEASURE = "measure"


class ApplicableItem(Protocol):
    """What the rules need of a vereiste or maatregel (a DB row or plain data)."""

    kind: str  # "requirement" or "measure"
    slug: str  # file slug, what maatregelen link to
    code: str  # e.g. "aia-09" or "imp-01"
    labels: Mapping[str, Sequence[str]]  # dimension -> listed values (vereisten)
    exceptions: Sequence[str]  # uitzondering entries (vereisten)
    links: Collection[str]  # slugs of linked vereisten (maatregelen)


class ReasonCode(StrEnum):
    LABEL_MATCH = "label_match"
    LABEL_MISMATCH = "label_mismatch"
    NO_AI_LABELS = "no_ai_labels"
    EXCEPTION_NOT_MATCHED = "exception_not_matched"
    EXCEPTION_MATCHED = "exception_matched"
    EXCEPTION_INVALID = "exception_invalid"
    NOT_AI_SYSTEM_AI_ACT = "not_ai_system_ai_act"
    NOT_AI_SYSTEM_OTHER_LAW = "not_ai_system_other_law"
    LINKED_REQUIREMENT_APPLIES = "linked_requirement_applies"
    NO_APPLICABLE_LINK = "no_applicable_link"
    NO_LINKS = "no_links"
    DANGLING_LINK = "dangling_link"
    ONLY_DANGLING_LINKS = "only_dangling_links"


def _names(dim: str, values: Iterable[str]) -> str:
    return ", ".join(value_name(dim, v) for v in values)


def _described(params: Mapping[str, Any]) -> str:
    if params.get("description"):
        return params["description"]
    try:
        return parse(params["expression"]).describe()
    except ExpressionError:
        return "onleesbaar"


_TEXTS: dict[ReasonCode, Callable[[Mapping[str, Any]], str]] = {
    ReasonCode.LABEL_MATCH: lambda p: (
        f"{dimension_name(p['dimension'])}: {_names(p['dimension'], p['matched'])} "
        "komt voor in de vereiste"
    ),
    ReasonCode.LABEL_MISMATCH: lambda p: (
        f"{dimension_name(p['dimension'])}: "
        f"{_names(p['dimension'], p['profile']) or 'geen waarde'} "
        f"komt niet voor in de vereiste (wel: {_names(p['dimension'], p['listed'])})"
    ),
    ReasonCode.NO_AI_LABELS: lambda p: "Geen AI-labels: geldt altijd",
    # The exception is named by its Dutch description, never by its raw expression.
    ReasonCode.EXCEPTION_NOT_MATCHED: lambda p: (
        f"Uitzondering ({_described(p)}) is niet van toepassing"
    ),
    ReasonCode.EXCEPTION_MATCHED: lambda p: f"Uitzondering ({_described(p)}) is van toepassing",
    ReasonCode.EXCEPTION_INVALID: lambda p: (
        f"Een uitzondering in de inhoud is onleesbaar en telt niet mee: {p['error']}"
    ),
    ReasonCode.NOT_AI_SYSTEM_AI_ACT: lambda p: (
        "Geen AI-systeem: AI-verordening (aia) is niet van toepassing"
    ),
    ReasonCode.NOT_AI_SYSTEM_OTHER_LAW: lambda p: (
        f"Geen AI-systeem: vereisten uit {p['law']} gelden voor elk algoritme "
        "(AI-labels tellen niet mee)"
    ),
    ReasonCode.LINKED_REQUIREMENT_APPLIES: lambda p: (
        f"Gekoppeld aan toepasselijke vereiste {p['requirement']}"
    ),
    ReasonCode.NO_APPLICABLE_LINK: lambda p: (
        f"Niet gekoppeld aan een toepasselijke vereiste (gekoppeld: {', '.join(p['linked'])})"
    ),
    ReasonCode.NO_LINKS: lambda p: "Koppelt aan geen vereiste",
    ReasonCode.ONLY_DANGLING_LINKS: lambda p: (
        "Koppelt alleen aan "
        + ("een vereiste die" if len(p["slugs"]) == 1 else "vereisten die")
        + " in deze release niet "
        + ("bestaat" if len(p["slugs"]) == 1 else "bestaan")
        + f" ({', '.join(p['slugs'])}); daarom geldt de maatregel altijd"
    ),
    ReasonCode.DANGLING_LINK: lambda p: (
        f"Gekoppelde vereiste '{p['slug']}' bestaat niet in deze release en telt niet mee"
    ),
}


@dataclass(frozen=True)
class Reason:
    """One step of an explanation: machine-readable (code + params) and in Dutch."""

    code: ReasonCode
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return _TEXTS[self.code](self.params)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Verdict:
    applies: bool
    reasons: tuple[Reason, ...]
    code: str = ""  # the code of the item judged, e.g. "aia-21"

    @property
    def texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]

    def has(self, code: ReasonCode) -> bool:
        return any(reason.code == code for reason in self.reasons)


def law_code(item: ApplicableItem) -> str:
    """The law prefix of a vereiste's code (``aia-09`` -> ``aia``)."""
    return (item.code or item.slug).split("-", 1)[0].lower()


def listed_values(item: ApplicableItem, dimension: str) -> tuple[str, ...]:
    """The values a vereiste lists for a dimension, tolerant of str / None entries."""
    raw = (item.labels or {}).get(dimension)
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    return tuple(str(value) for value in raw if value)


def requirement_verdict(item: ApplicableItem, profile: AIProfile) -> Verdict:
    """Does this vereiste apply to the profile, and why (see module docstring)."""
    if not profile.is_ai_system:
        if law_code(item) == AI_ACT:
            return Verdict(False, (Reason(ReasonCode.NOT_AI_SYSTEM_AI_ACT),), item.code)
        reason = Reason(ReasonCode.NOT_AI_SYSTEM_OTHER_LAW, {"law": law_code(item)})
        return Verdict(True, (reason,), item.code)

    matches: list[Reason] = []
    blockers: list[Reason] = []
    for dim in DIMENSIONS:
        listed = listed_values(item, dim.slug)
        if not listed:
            continue
        own = profile.values(dim)
        matched = tuple(value for value in listed if value in own)
        if matched:
            matches.append(
                Reason(ReasonCode.LABEL_MATCH, {"dimension": dim.slug, "matched": matched})
            )
        else:
            params = {"dimension": dim.slug, "profile": tuple(sorted(own)), "listed": listed}
            blockers.append(Reason(ReasonCode.LABEL_MISMATCH, params))
    if not matches and not blockers:
        matches.append(Reason(ReasonCode.NO_AI_LABELS))

    labels = profile.to_labels()
    for text in item.exceptions or ():
        if not text:
            continue
        try:
            expression = parse(text)
        except ExpressionError as error:
            params = {"expression": text, "error": error.message, "position": error.position}
            matches.append(Reason(ReasonCode.EXCEPTION_INVALID, params))
            continue
        if expression.evaluate(labels):
            params = {"expression": text, "description": expression.describe()}
            blockers.append(Reason(ReasonCode.EXCEPTION_MATCHED, params))
        else:
            params = {"expression": text, "description": expression.describe()}
            matches.append(Reason(ReasonCode.EXCEPTION_NOT_MATCHED, params))

    if blockers:
        return Verdict(False, tuple(blockers), item.code)
    return Verdict(True, tuple(matches), item.code)


def measure_verdict(
    item: ApplicableItem,
    requirement_verdicts: Mapping[str, Verdict],
    profile: AIProfile | None = None,
) -> Verdict:
    """Does this maatregel apply, given the verdicts on the vereisten (by slug)?

    ``profile`` is not needed: the vereisten' verdicts already depend on it. It is
    accepted so that callers can pass it uniformly.
    """
    slugs = list(dict.fromkeys(item.links or ()))
    known = [slug for slug in slugs if slug in requirement_verdicts]
    dangling = tuple(
        Reason(ReasonCode.DANGLING_LINK, {"slug": slug})
        for slug in slugs
        if slug not in requirement_verdicts
    )
    if not known and dangling:
        missing = tuple(reason.params["slug"] for reason in dangling)
        reason = Reason(ReasonCode.ONLY_DANGLING_LINKS, {"slugs": missing})
        return Verdict(True, (reason,), item.code)
    if not known:
        return Verdict(True, (Reason(ReasonCode.NO_LINKS),), item.code)

    def code_of(slug: str) -> str:
        return requirement_verdicts[slug].code or slug

    applying = [slug for slug in known if requirement_verdicts[slug].applies]
    if applying:
        reasons = tuple(
            Reason(
                ReasonCode.LINKED_REQUIREMENT_APPLIES,
                {"requirement": code_of(slug), "slug": slug},
            )
            for slug in applying
        )
        return Verdict(True, reasons + dangling, item.code)
    params = {"linked": tuple(code_of(slug) for slug in known), "slugs": tuple(known)}
    return Verdict(False, (Reason(ReasonCode.NO_APPLICABLE_LINK, params), *dangling), item.code)


def requirement_verdicts(items: Iterable[ApplicableItem], profile: AIProfile) -> dict[str, Verdict]:
    """Verdicts on every vereiste among ``items``, by slug (all phases)."""
    return {
        item.slug: requirement_verdict(item, profile) for item in items if item.kind == REQUIREMENT
    }


ItemVerdicts = list[tuple[ApplicableItem, Verdict]]


def _phases(item: Any) -> Collection[str]:
    return item.phases


def checklist_for(
    items: Iterable[ApplicableItem],
    phase: str,
    profile: AIProfile,
    *,
    phases_of: Callable[[Any], Collection[str]] = _phases,
) -> tuple[ItemVerdicts, ItemVerdicts]:
    """The vereisten and maatregelen of ``phase``: (applicable, not applicable).

    ``items`` are all vereisten and maatregelen of one release (other kinds are
    skipped), so that maatregelen can be judged on vereisten of any phase.
    ``phases_of`` gives an item's phase slugs (default: its ``phases`` attribute).
    Both lists keep the order of ``items``.
    """
    items = [item for item in items if item.kind in (REQUIREMENT, MEASURE)]
    verdicts = requirement_verdicts(items, profile)
    applicable: ItemVerdicts = []
    not_applicable: ItemVerdicts = []
    for item in items:
        if phase not in (phases_of(item) or ()):
            continue
        if item.kind == REQUIREMENT:
            verdict = verdicts[item.slug]
        else:
            verdict = measure_verdict(item, verdicts, profile)
        (applicable if verdict.applies else not_applicable).append((item, verdict))
    return applicable, not_applicable
