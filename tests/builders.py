"""Plain builders for catalog rows, shared by tests of every concern.

Each ``make_*`` creates one row directly (no importer involved) with sensible
defaults, so a test states only what matters to it. Taxa and laws given by slug
or code are created in the item's release on first use.
"""

import hashlib
import itertools
from collections.abc import Iterable
from types import SimpleNamespace

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


def make_sample_catalog() -> SimpleNamespace:
    """Two releases: "v2.0" (one vereiste) and the latest, "v2.5.1", with vereisten and
    maatregelen in and out of the implementatie phase, links both ways, a hulpmiddel,
    AI Act labels, uitzonderingen and ARK/ADR references. Attributes name the rows."""
    old = make_release("v2.0")
    old_req = make_requirement(
        old,
        "aia-09-menselijk-toezicht",
        code="aia-09",
        title="Oude menselijk toezicht",
        phases=["implementatie"],
    )
    new = make_release("v2.5.1")
    toezicht = make_requirement(
        new,
        "aia-09-menselijk-toezicht",
        code="aia-09",
        title="Menselijk toezicht",
        phases=["implementatie"],
        topics=["menselijke-controle"],
        roles=["projectleider"],
        summary="Hoog-risico-AI-systemen staan onder menselijk toezicht.",
        labels={"risicogroep": ["hoog-risico-ai-systeem"], "rol-ai-act": ["aanbieder"]},
        exceptions=[
            "risicogroep-uitzondering-van-toepassing",
            '("soort-toepassing-ai-systeem" || "soort-toepassing-ai-systeem-voor-algemene-'
            'doeleinden") && "open-source-open-source"',
        ],
        body="## Vereiste\n\nGebruikers houden toezicht op de uitkomsten van het systeem.\n",
    )
    dpia = make_requirement(
        new,
        "avg-13-dpia-verplicht",
        code="avg-13",
        title="DPIA verplicht",
        phases=["implementatie"],
        topics=["privacy-en-gegevensbescherming"],
        roles=["jurist"],
    )
    ontwerp_req = make_requirement(
        new,
        "awb-01-zorgvuldigheidsbeginsel",
        code="awb-01",
        title="Zorgvuldigheidsbeginsel",
        phases=["ontwerp"],
        topics=["governance"],
        roles=["jurist"],
    )
    werkinstructie = make_measure(
        new,
        "6-imp-01-werkinstructies-gebruikers",
        code="imp-01",
        title="Stel een werkinstructie op voor gebruikers",
        phases=["implementatie"],
        topics=["menselijke-controle"],
        roles=["projectleider"],
        links=[toezicht],
        sources={"ARK": 3.07, "ADR": ["DM.3", "DM.10"]},
        body="## Maatregel\n\nStel een werkinstructie op.\n",
    )
    dpia_uitvoeren = make_measure(
        new,
        "2-owp-12-dpia-uitvoeren",
        code="owp-12",
        title="Voer een DPIA uit",
        phases=["implementatie"],
        topics=["privacy-en-gegevensbescherming"],
        roles=["jurist"],
        links=[dpia],
    )
    ontwerp_measure = make_measure(
        new,
        "1-owp-01-doel",
        code="owp-01",
        title="Beschrijf het doel",
        phases=["ontwerp"],
    )
    iama = make_instrument(
        new,
        "iama",
        title="Impact Assessment Mensenrechten en Algoritmes",
        phases=["implementatie"],
        links=[toezicht, werkinstructie],
    )
    make_norm(new, AuditNorm.Framework.ADR, "DM.12", measures=[werkinstructie])
    return SimpleNamespace(
        old=old,
        old_req=old_req,
        new=new,
        toezicht=toezicht,
        dpia=dpia,
        ontwerp_req=ontwerp_req,
        werkinstructie=werkinstructie,
        dpia_uitvoeren=dpia_uitvoeren,
        ontwerp_measure=ontwerp_measure,
        iama=iama,
    )
