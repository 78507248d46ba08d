"""Plain-data vereisten and maatregelen, built from Algoritmekader front matter.

The rules in ``rules.py`` work on any object with the attributes of
``ApplicableItem``; ``ContentItem`` is the plain one, for tests, previews and an
importer that wants to normalise front matter the same way (labels, exceptions,
links).
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.applicability.labels import DIMENSIONS_BY_SLUG, LEGACY_DIMENSION_ALIASES
from tracker.applicability.rules import MEASURE, REQUIREMENT


@dataclass(frozen=True)
class ContentItem:
    kind: str
    slug: str
    code: str
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exceptions: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    phases: frozenset[str] = frozenset()
    urn: str = ""


def string_list(value: Any) -> tuple[str, ...]:
    """A front-matter list as strings: a bare string becomes one entry, nulls drop."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(str(entry).strip() for entry in value if entry is not None and str(entry).strip())


def code_from_urn(urn: str) -> str:
    """``urn:nl:ak:ver:aia-09`` -> ``aia-09``."""
    return urn.rsplit(":", 1)[-1] if urn else ""


def labels_from_front_matter(metadata: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The AI Act label dimensions of a vereiste, keyed by dimension slug.

    Only known dimensions are kept. The v2.0 key ``publicatiecategorie`` counts as
    ``risicogroep`` where the latter is absent (same values, older name).
    """
    labels: dict[str, tuple[str, ...]] = {}
    for key, value in metadata.items():
        slug = LEGACY_DIMENSION_ALIASES.get(key, key)
        if slug not in DIMENSIONS_BY_SLUG:
            continue
        if key != slug and slug in metadata:
            continue  # the current key wins over its legacy alias
        values = string_list(value)
        if values:
            labels[slug] = values
    return labels


def item_from_front_matter(
    kind: str,
    slug: str,
    metadata: Mapping[str, Any],
    requirement_slugs: Collection[str] | None = None,
) -> ContentItem:
    """A ContentItem from one file's front matter.

    For a maatregel, ``requirement_slugs`` (the vereisten of the same release)
    filters out links to slugs that do not exist, as the catalog's links do.
    """
    urn = str(metadata.get("id") or "")
    links: Iterable[str] = ()
    if kind == MEASURE:
        links = string_list(metadata.get("vereiste"))
        if requirement_slugs is not None:
            links = [link for link in links if link in requirement_slugs]
    is_requirement = kind == REQUIREMENT
    return ContentItem(
        kind=kind,
        slug=slug,
        code=code_from_urn(urn),
        labels=labels_from_front_matter(metadata) if is_requirement else {},
        exceptions=string_list(metadata.get("uitzondering")) if is_requirement else (),
        links=tuple(links),
        phases=frozenset(string_list(metadata.get("levenscyclus"))),
        urn=urn,
    )
