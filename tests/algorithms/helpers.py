"""A small catalog for algorithm tests: vereisten, maatregelen and pack criteria."""

from dataclasses import dataclass

from tests.builders import make_item, make_measure, make_release, make_requirement
from tracker.catalog.models import CatalogItem, ContentRelease

HIGH_RISK_DEPLOYER = {
    "is_ai_system": True,
    "soort_toepassing": "ai-systeem",
    "risicogroep": "hoog-risico-ai-systeem",
    "rol_ai_act": ["gebruiksverantwoordelijke"],
    "transparantieverplichting": "transparantieverplichting",
    "systeemrisico": "niet-van-toepassing",
    "open_source": "geen-open-source",
}


@dataclass
class Catalog:
    release: ContentRelease
    pack: ContentRelease
    avg: CatalogItem  # vereiste for every algorithm, phase implementatie
    aia: CatalogItem  # AI Act vereiste for high-risk AI systems, phase implementatie
    measure_aia: CatalogItem  # maatregel linked to aia, phase implementatie
    measure_free: CatalogItem  # maatregel without links, phase implementatie
    design: CatalogItem  # maatregel of phase ontwerp only
    pilot: CatalogItem  # pack criterion, stap pilot
    golive: CatalogItem  # pack criterion, stap productie
    informed: CatalogItem  # pack criterion, stap productie, verplicht-bij


def make_catalog() -> Catalog:
    release = make_release("ak-test")
    avg = make_requirement(
        release, code="avg-01", slug="avg-01-rechtmatig", phases=["implementatie"]
    )
    aia = make_requirement(
        release,
        code="aia-09",
        slug="aia-09-menselijk-toezicht",
        phases=["implementatie"],
        labels={"risicogroep": ["hoog-risico-ai-systeem"]},
    )
    measure_aia = make_measure(release, code="imp-01", phases=["implementatie"], links=[aia])
    measure_free = make_measure(release, code="imp-02", phases=["implementatie"])
    design = make_measure(release, code="owp-01", phases=["ontwerp"])
    pack = make_release("pack-test", kind=ContentRelease.Source.PACK)

    def criterion(code: str, stap: str, **front) -> CatalogItem:
        return make_item(
            pack,
            CatalogItem.Kind.CRITERION,
            code=code,
            phases=["implementatie"],
            front_matter={"stap": stap, **front},
        )

    return Catalog(
        release=release,
        pack=pack,
        avg=avg,
        aia=aia,
        measure_aia=measure_aia,
        measure_free=measure_free,
        design=design,
        pilot=criterion("pil-01", "pilot"),
        golive=criterion("gl-01", "productie"),
        informed=criterion("gl-06", "productie", **{"verplicht-bij": ["impactvol"]}),
    )
