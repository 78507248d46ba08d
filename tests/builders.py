"""Plain builders for catalog rows, shared by tests of every concern.

Each ``make_*`` creates one row directly (no importer involved) with sensible
defaults, so a test states only what matters to it. Taxa and laws given by slug
or code are created in the item's release on first use.
"""

import hashlib
import itertools
from collections.abc import Iterable

from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon

_counter = itertools.count(1)

KIND_FOLDERS = {
    CatalogItem.Kind.REQUIREMENT: "docs/voldoen-aan-wetten-en-regels/vereisten",
    CatalogItem.Kind.MEASURE: "docs/voldoen-aan-wetten-en-regels/maatregelen",
    CatalogItem.Kind.INSTRUMENT: "docs/voldoen-aan-wetten-en-regels/hulpmiddelen",
    CatalogItem.Kind.CRITERION: "criteria",
}
URN_PREFIXES = {
    CatalogItem.Kind.REQUIREMENT: "urn:nl:ak:ver:",
    CatalogItem.Kind.MEASURE: "urn:nl:ak:mtr:",
}


def make_release(
    label: str | None = None,
    *,
    kind: str = ContentRelease.Source.ALGORITMEKADER,
    **fields,
) -> ContentRelease:
    label = label or f"test-{next(_counter)}"
    fields.setdefault("source", f"tests/builders/{label}")
    fields.setdefault("content_hash", hashlib.sha256(f"{kind}:{label}".encode()).hexdigest())
    return ContentRelease.objects.create(label=label, kind=kind, **fields)


def make_taxon(
    release: ContentRelease, kind: str, slug: str, *, title: str | None = None, **fields
) -> Taxon:
    taxon, _ = Taxon.objects.get_or_create(
        release=release,
        kind=kind,
        slug=slug,
        defaults={"title": title or slug.replace("-", " ").capitalize(), **fields},
    )
    return taxon


def make_phase(release: ContentRelease, slug: str = "implementatie", **fields) -> Taxon:
    return make_taxon(release, Taxon.Kind.PHASE, slug, **fields)


def make_topic(release: ContentRelease, slug: str = "transparantie", **fields) -> Taxon:
    return make_taxon(release, Taxon.Kind.TOPIC, slug, **fields)


def make_role(release: ContentRelease, slug: str = "projectleider", **fields) -> Taxon:
    return make_taxon(release, Taxon.Kind.ROLE, slug, **fields)


def make_law(release: ContentRelease, code: str = "aia", *, name: str | None = None) -> Law:
    law, _ = Law.objects.get_or_create(
        release=release, code=code, defaults={"name": name or code.upper()}
    )
    return law


def _taxa(release: ContentRelease, kind: str, values: Iterable[str | Taxon]) -> list[Taxon]:
    return [
        value if isinstance(value, Taxon) else make_taxon(release, kind, value) for value in values
    ]


def make_item(
    release: ContentRelease,
    kind: str = CatalogItem.Kind.MEASURE,
    slug: str | None = None,
    *,
    code: str | None = None,
    title: str | None = None,
    phases: Iterable[str | Taxon] = (),
    topics: Iterable[str | Taxon] = (),
    roles: Iterable[str | Taxon] = (),
    law: str | Law | None = None,
    links: Iterable[CatalogItem] = (),
    **fields,
) -> CatalogItem:
    """One catalog item; a vereiste gets its law from its code unless ``law`` is given."""
    number = next(_counter)
    if code is None:
        code = f"{'aia' if kind == CatalogItem.Kind.REQUIREMENT else 'imp'}-{number:02d}"
    slug = slug or f"{code}-item-{number}"
    if law is None and kind == CatalogItem.Kind.REQUIREMENT:
        law = code.split("-", 1)[0]
    if isinstance(law, str):
        law = make_law(release, law)
    fields.setdefault("urn", f"{URN_PREFIXES[kind]}{code}" if kind in URN_PREFIXES else "")
    fields.setdefault("path", f"{KIND_FOLDERS[kind]}/{slug}.md")
    fields.setdefault("fingerprint", hashlib.sha256(f"{release.pk}:{slug}".encode()).hexdigest())
    item = CatalogItem.objects.create(
        release=release,
        kind=kind,
        slug=slug,
        code=code,
        title=title or f"Item {code}",
        law=law,
        **fields,
    )
    item.phases.set(_taxa(release, Taxon.Kind.PHASE, phases))
    item.topics.set(_taxa(release, Taxon.Kind.TOPIC, topics))
    item.roles.set(_taxa(release, Taxon.Kind.ROLE, roles))
    item.links.set(links)
    return item


def make_requirement(release: ContentRelease, slug: str | None = None, **fields) -> CatalogItem:
    return make_item(release, CatalogItem.Kind.REQUIREMENT, slug, **fields)


def make_measure(release: ContentRelease, slug: str | None = None, **fields) -> CatalogItem:
    return make_item(release, CatalogItem.Kind.MEASURE, slug, **fields)


def make_instrument(release: ContentRelease, slug: str | None = None, **fields) -> CatalogItem:
    fields.setdefault("code", "")
    return make_item(
        release, CatalogItem.Kind.INSTRUMENT, slug or f"hulpmiddel-{next(_counter)}", **fields
    )


def make_norm(
    release: ContentRelease,
    framework: str = AuditNorm.Framework.ADR,
    number: str = "DM.1",
    *,
    measures: Iterable[CatalogItem] = (),
) -> AuditNorm:
    norm = AuditNorm.objects.create(release=release, framework=framework, number=number)
    norm.measures.set(measures)
    return norm
