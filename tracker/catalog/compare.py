"""Compare two releases of the Algoritmekader: which item is which, and what changed.

The matching rule (also in the README, "Comparing releases"). Items are matched
within one kind (vereiste, maatregel, hulpmiddel), by what they are, never by URN
alone, because URNs get renumbered and reused (``urn:nl:ak:mtr:owp-17`` is
"verwerkersovereenkomst" in v2.0 and another measure in v2.5.1):

1. by the file slug without its number and code prefix (the *stem*):
   ``6-imp-01-politiek-bestuurlijk-besluit`` and ``6-imp-08-politiek-bestuurlijk-besluit``
   both have the stem ``politiek-bestuurlijk-besluit``; ``aia-09-menselijk-toezicht`` has
   ``menselijk-toezicht``. Only a stem that is unique in both releases matches;
2. then, among the items left over, by title (case, spacing and punctuation ignored),
   again only when unique on both sides.

Every pair gets one class: unchanged; changed in form only (links, whitespace,
markup, numbering, topics, roles, audit references); changed in substance (title,
toelichting, body text, applicability labels, ``uitzondering``, phases, vereiste
links), with what changed. Items without a partner are added or removed. A URN that
names a different item in the new release is flagged separately (``UrnWarning``).

Pure computation over three queries per release; nothing is written.
"""

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from tracker.catalog.models import CatalogItem, ContentRelease

COMPARED_KINDS = (
    CatalogItem.Kind.REQUIREMENT,
    CatalogItem.Kind.MEASURE,
    CatalogItem.Kind.INSTRUMENT,
)
_NUMBER = re.compile(r"^\d+-")
_CODE = re.compile(r"^[a-z]{2,5}-\d+[a-z]?-", re.IGNORECASE)


class PairClass(StrEnum):
    UNCHANGED = "unchanged"
    FORM = "form"
    SUBSTANCE = "substance"
    ADDED = "added"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return CLASS_LABELS[self]


CLASS_LABELS = {
    PairClass.UNCHANGED: "ongewijzigd",
    PairClass.FORM: "alleen in vorm gewijzigd",
    PairClass.SUBSTANCE: "inhoudelijk gewijzigd",
    PairClass.ADDED: "nieuw",
    PairClass.REMOVED: "vervallen",
}


def stem(item: CatalogItem) -> str:
    """The file slug without its number and code prefix, lower case (rule 1)."""
    slug = _NUMBER.sub("", item.slug)
    code = (item.code or "").lower()
    if code and slug.lower().startswith(code + "-"):
        slug = slug[len(code) + 1 :]
    else:
        slug = _CODE.sub("", slug)
    return slug.lower()


def title_key(title: str) -> str:
    """A title with case, spacing and punctuation ignored (rule 2)."""
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())


# --- what an item says ------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTRIBUTES = re.compile(r"\{[^{}\n]*\}")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*\w*", re.MULTILINE)
_EMPHASIS = re.compile(r"[*`~]+|(?<!\w)_+|_+(?!\w)")
_MARKUP = re.compile(r"[#>|]+|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


def plain_text(markdown: str) -> str:
    """Body text without markup, link targets, comments and attribute lists, one line
    per paragraph line: what is left is what a reader reads; only a change in it (not
    in its wrapping) is a change in substance."""
    text = _COMMENT.sub(" ", markdown or "")
    text = _ATTRIBUTES.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _ADMONITION.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def sentences(text: str) -> list[str]:
    """The lines of a plain text, each cut into sentences: the units of a diff."""
    return [part for line in text.splitlines() for part in _SENTENCE_END.split(line) if part]


@dataclass(frozen=True)
class Facts:
    """The parts of one item that the comparison looks at."""

    item: CatalogItem
    phases: frozenset[str]
    links: frozenset[str]  # stems of the linked vereisten (and maatregelen)
    topics: frozenset[str]
    roles: frozenset[str]
    text: str  # plain_text(body)


def _facts(release: ContentRelease) -> list[Facts]:
    items = list(
        CatalogItem.objects.filter(release=release, kind__in=COMPARED_KINDS).order_by(
            "kind", "code", "slug"
        )
    )
    ids = [item.pk for item in items]
    taxa: dict[str, dict[int, set[str]]] = {}
    for name in ("phases", "topics", "roles"):
        found: dict[int, set[str]] = defaultdict(set)
        through = getattr(CatalogItem, name).through
        for item_id, slug in through.objects.filter(catalogitem_id__in=ids).values_list(
            "catalogitem_id", "taxon__slug"
        ):
            found[item_id].add(slug)
        taxa[name] = found
    links: dict[int, set[str]] = defaultdict(set)
    rows = CatalogItem.links.through.objects.filter(from_catalogitem_id__in=ids).values_list(
        "from_catalogitem_id", "to_catalogitem__slug", "to_catalogitem__code"
    )
    for item_id, slug, code in rows:
        links[item_id].add(stem(CatalogItem(slug=slug, code=code)))
    return [
        Facts(
            item=item,
            phases=frozenset(taxa["phases"][item.pk]),
            links=frozenset(links[item.pk]),
            topics=frozenset(taxa["topics"][item.pk]),
            roles=frozenset(taxa["roles"][item.pk]),
            text=plain_text(item.body),
        )
        for item in items
    ]


# --- differences ------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One field that differs; ``removed``/``added`` are what a reader sees go and come."""

    field: str  # Dutch name
    substance: bool
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = [f"- {text}" for text in self.removed] + [f"+ {text}" for text in self.added]
        return f"{self.field}: " + (" | ".join(parts) if parts else "gewijzigd")

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "substance": self.substance,
            "removed": list(self.removed),
            "added": list(self.added),
        }


def _text_difference(name: str, old: str, new: str, substance: bool = True) -> Difference | None:
    if " ".join(old.split()) == " ".join(new.split()):
        return None
    old_parts, new_parts = sentences(old), sentences(new)
    matcher = difflib.SequenceMatcher(a=old_parts, b=new_parts, autojunk=False)
    removed, added = [], []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old_parts[a1:a2]
            added += new_parts[b1:b2]
    both = set(removed) & set(added)  # moved, not changed
    removed = [part for part in removed if part not in both]
    added = [part for part in added if part not in both]
    return Difference(name, substance, tuple(removed), tuple(added))


def _set_difference(name: str, old, new, substance: bool) -> Difference | None:
    old, new = set(old), set(new)
    if old == new:
        return None
    return Difference(name, substance, tuple(sorted(old - new)), tuple(sorted(new - old)))


def _value_difference(name: str, old, new, substance: bool) -> Difference | None:
    if old == new:
        return None
    return Difference(name, substance, (_shown(old),) if old else (), (_shown(new),) if new else ())


def _shown(value) -> str:
    if isinstance(value, dict):
        return "; ".join(
            f"{key}: {', '.join(map(str, v if isinstance(v, list) else [v]))}"
            for key, v in sorted(value.items())
        )
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def differences(old: Facts, new: Facts) -> list[Difference]:
    """What changed between two matched items, substance first."""
    a, b = old.item, new.item
    found = [
        _text_difference("titel", a.title, b.title, title_key(a.title) != title_key(b.title)),
        _text_difference("toelichting", " ".join(a.summary.split()), " ".join(b.summary.split())),
        _text_difference("tekst", old.text, new.text),
        _value_difference("labels (AI-verordening)", _labels(a.labels), _labels(b.labels), True),
        _value_difference("uitzondering", _list(a.exceptions), _list(b.exceptions), True),
        _set_difference("levenscyclus", old.phases, new.phases, True),
        _set_difference("vereisten", old.links, new.links, True),
        _value_difference("code", a.code, b.code, False),
        _value_difference("URN", a.urn, b.urn, False),
        _set_difference("onderwerpen", old.topics, new.topics, False),
        _set_difference("rollen", old.roles, new.roles, False),
        _value_difference("toetsingskaders", a.sources or {}, b.sources or {}, False),
    ]
    found = [d for d in found if d is not None]
    if not found and a.body != b.body:
        found.append(Difference("opmaak of links in de tekst", False))
    return found


def _labels(labels: dict) -> dict:
    return {
        key: sorted(str(v) for v in (values if isinstance(values, list) else [values]) if v)
        for key, values in (labels or {}).items()
        if values
    }


def _list(values) -> list[str]:
    return [str(v) for v in values or () if v]


# --- the comparison ---------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    kind: str
    old: CatalogItem | None
    new: CatalogItem | None
    matched_by: str  # "bestandsnaam", "titel" or ""
    differences: tuple[Difference, ...] = ()

    @property
    def klass(self) -> PairClass:
        if self.old is None:
            return PairClass.ADDED
        if self.new is None:
            return PairClass.REMOVED
        if any(d.substance for d in self.differences):
            return PairClass.SUBSTANCE
        return PairClass.FORM if self.differences else PairClass.UNCHANGED

    @property
    def substance(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.substance)

    @property
    def item(self) -> CatalogItem:
        return self.new or self.old

    def __str__(self) -> str:
        old = self.old.slug if self.old else "—"
        new = self.new.slug if self.new else "—"
        return f"{old} -> {new}" if self.old and self.new else (new if self.new else old)


@dataclass(frozen=True)
class UrnWarning:
    """A URN that names one item in the old release and a different one in the new."""

    urn: str
    old: CatalogItem
    new: CatalogItem
    old_now: CatalogItem | None  # what the old item is in the new release, if anything

    def __str__(self) -> str:
        now = f"; {self.old.slug} is nu {self.old_now.slug}" if self.old_now else ""
        return (
            f"{self.urn} is in de oude release '{self.old.title}' ({self.old.slug}) en in de "
            f"nieuwe '{self.new.title}' ({self.new.slug}){now}"
        )


@dataclass
class Comparison:
    old_release: ContentRelease
    new_release: ContentRelease
    pairs: list[Pair] = field(default_factory=list)
    urn_warnings: list[UrnWarning] = field(default_factory=list)

    def counts(self) -> dict[PairClass, int]:
        found = Counter(pair.klass for pair in self.pairs)
        return {klass: found.get(klass, 0) for klass in PairClass}

    def of_class(self, klass: PairClass) -> list[Pair]:
        return [pair for pair in self.pairs if pair.klass == klass]

    def by_old_id(self) -> dict[int, Pair]:
        return {pair.old.pk: pair for pair in self.pairs if pair.old is not None}

    def pair_of(self, old_slug: str, kind: str | None = None) -> Pair | None:
        for pair in self.pairs:
            same_kind = kind is None or pair.kind == kind
            if pair.old is not None and pair.old.slug == old_slug and same_kind:
                return pair
        return None

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts[klass]} {klass.label}" for klass in PairClass]
        return f"{self.old_release} -> {self.new_release}: " + ", ".join(parts)


def _unique(facts: list[Facts], key) -> dict[str, Facts]:
    groups: dict[str, list[Facts]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    return {k: group[0] for k, group in groups.items() if k and len(group) == 1}


def compare(old_release: ContentRelease, new_release: ContentRelease) -> Comparison:
    """Match the items of two releases and classify every pair (see the module doc)."""
    old_facts, new_facts = _facts(old_release), _facts(new_release)
    result = Comparison(old_release, new_release)
    matched_new: dict[int, int] = {}  # new item id -> old item id
    for kind in COMPARED_KINDS:
        olds = [f for f in old_facts if f.item.kind == kind]
        news = [f for f in new_facts if f.item.kind == kind]
        pairs: list[tuple[Facts, Facts, str]] = []
        for rule, key in (
            ("bestandsnaam", lambda f: stem(f.item)),
            ("titel", lambda f: title_key(f.item.title)),
        ):
            old_keys, new_keys = _unique(olds, key), _unique(news, key)
            for k, old in old_keys.items():
                if k in new_keys:
                    pairs.append((old, new_keys[k], rule))
            done_old = {id(o) for o, _, _ in pairs}
            done_new = {id(n) for _, n, _ in pairs}
            olds = [f for f in olds if id(f) not in done_old]
            news = [f for f in news if id(f) not in done_new]
        for old, new, rule in pairs:
            result.pairs.append(Pair(kind, old.item, new.item, rule, tuple(differences(old, new))))
            matched_new[new.item.pk] = old.item.pk
        result.pairs += [Pair(kind, f.item, None, "") for f in olds]
        result.pairs += [Pair(kind, None, f.item, "") for f in news]
    result.pairs.sort(key=lambda p: (COMPARED_KINDS.index(p.kind), p.item.code, p.item.slug))
    result.urn_warnings = _urn_warnings(old_facts, new_facts, result)
    return result


def _urn_warnings(old_facts, new_facts, result: Comparison) -> list[UrnWarning]:
    partner_of_old = {p.old.pk: p.new for p in result.pairs if p.old is not None}
    new_by_urn: dict[str, list[CatalogItem]] = defaultdict(list)
    for fact in new_facts:
        if fact.item.urn:
            new_by_urn[fact.item.urn].append(fact.item)
    warnings = []
    for fact in old_facts:
        old = fact.item
        partner = partner_of_old.get(old.pk)
        for new in new_by_urn.get(old.urn, ()) if old.urn else ():
            if partner is None or new.pk != partner.pk:
                warnings.append(UrnWarning(old.urn, old, new, partner))
    return sorted(warnings, key=lambda w: (w.urn, w.old.slug))
