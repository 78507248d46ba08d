"""Builders for the pilot tests: a small catalog with items in the phases a pilot
decision moves to, and a pilot recorded (and evaluated) the real way."""

import datetime
from dataclasses import dataclass

from tests.builders import make_item, make_measure, make_release, make_requirement
from tests.world import World, make_world
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.checklist import sync
from tracker.pilots import actions
from tracker.pilots.models import Pilot

GO_LIVE_KEYS = (
    "output-interpretatie",
    "werkinstructies",
    "service-en-incidentbeheer",
    "verantwoordelijkheden",
    "restrisicos",
    "betrokkenen-geinformeerd",
)
START = datetime.date(2026, 1, 5)
END = datetime.date(2026, 3, 27)


@dataclass
class PilotCatalog:
    release: ContentRelease
    pack: ContentRelease
    implementatie: CatalogItem  # vereiste, phase implementatie
    ontwikkelen: CatalogItem  # maatregel, phase ontwikkelen
    uitfaseren: CatalogItem  # maatregel, phase uitfaseren
    pilot_criterion: CatalogItem  # pack criterion, stap pilot


def make_pilot_catalog() -> PilotCatalog:
    release = make_release("ak-pilot")
    pack = make_release("pack-pilot", kind=ContentRelease.Source.PACK)

    def criterion(code: str, stap: str, **front) -> CatalogItem:
        return make_item(
            pack,
            CatalogItem.Kind.CRITERION,
            code=code,
            phases=["implementatie"],
            front_matter={"stap": stap, **front},
        )

    for n, key in enumerate(GO_LIVE_KEYS, start=1):
        criterion(f"gl-{n:02d}", "productie", criterium=key)
    return PilotCatalog(
        release=release,
        pack=pack,
        implementatie=make_requirement(release, code="avg-01", phases=["implementatie"]),
        ontwikkelen=make_measure(release, code="owk-01", phases=["ontwikkelen"]),
        uitfaseren=make_measure(release, code="uit-01", phases=["uitfaseren"]),
        pilot_criterion=criterion("pil-01", "pilot", criterium="pilot-afbakening"),
    )


def make_pilot_world() -> World:
    """The shared world (algorithm in implementatie, stage pilot) on the pilot catalog,
    its checklist synced."""
    world = make_world()
    world.catalog = make_pilot_catalog()
    world.algorithm.release = world.catalog.release
    world.algorithm.save(update_fields=["release"])
    sync.sync(world.algorithm, world.owner, "Testcatalogus")
    return world


def pilot_values(**overrides) -> dict:
    values = {
        "start_date": START,
        "end_date": END,
        "max_cases": 300,
        "other_limit": "",
        "units": "Afdeling Vergunningen",
        "processes_production_data": True,
        "legal_basis": "Wettelijke taak (art. 6 lid 1 sub e AVG)",
        "legal_basis_url": "https://intranet.example/dpia-42",
        "participants": "Acht behandelaars",
        "agreements": "De behandelaar beslist; afwijkingen worden wekelijks besproken.",
    }
    values.update(overrides)
    return values


def make_pilot(world: World, *, criteria: int = 2, evaluated: bool = False, **values) -> Pilot:
    specs = [
        actions.CriterionSpec(None, f"Criterium {n}", f"Maatstaf {n}", f"<= {n * 10}")
        for n in range(1, criteria + 1)
    ]
    pilot = actions.save_pilot(
        world.algorithm,
        world.contributor,
        expected_version=None,
        values=pilot_values(**values),
        criteria=specs,
    )
    if evaluated:
        evaluate(world, pilot)
    pilot.refresh_from_db()
    return pilot


def evaluate(world: World, pilot: Pilot, met: bool = True) -> None:
    pilot.refresh_from_db()
    actions.save_evaluation(
        pilot,
        world.contributor,
        expected_version=pilot.version,
        values={"usability_findings": "Goed bruikbaar", "other_findings": ""},
        results={c.pk: ("8", met) for c in pilot.criteria.all()},
    )


def pilot_post(**overrides) -> dict:
    """A complete POST of the pilot form with one success criterion (a new pilot)."""
    data = {
        "version": "",
        "start_date": "2026-01-05",
        "end_date": "2026-03-27",
        "max_cases": "300",
        "other_limit": "",
        "units": "Afdeling Vergunningen",
        "processes_production_data": "on",
        "legal_basis": "Wettelijke taak (art. 6 lid 1 sub e AVG)",
        "legal_basis_url": "https://intranet.example/dpia-42",
        "participants": "Acht behandelaars",
        "agreements": "De behandelaar beslist.",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-id": "",
        "criteria-0-name": "Doorlooptijd",
        "criteria-0-metric": "Werkdagen per aanvraag",
        "criteria-0-expected": "<= 10",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def existing_criteria_post(pilot: Pilot, **overrides) -> dict:
    """The pilot form as loaded for an existing pilot, posted back unchanged."""
    criteria = list(pilot.criteria.all())
    data = pilot_post(
        version=str(pilot.version),
        start_date=pilot.start_date.isoformat(),
        end_date=pilot.end_date.isoformat(),
        max_cases=str(pilot.max_cases or ""),
        other_limit=pilot.other_limit,
        units=pilot.units,
        processes_production_data="on" if pilot.processes_production_data else None,
        legal_basis=pilot.legal_basis,
        legal_basis_url=pilot.legal_basis_url,
        participants=pilot.participants,
        agreements=pilot.agreements,
    )
    for key in [k for k in data if k.startswith("criteria-")]:
        del data[key]
    data["criteria-TOTAL_FORMS"] = str(len(criteria))
    data["criteria-INITIAL_FORMS"] = str(len(criteria))
    for n, criterion in enumerate(criteria):
        data[f"criteria-{n}-id"] = str(criterion.pk)
        data[f"criteria-{n}-name"] = criterion.name
        data[f"criteria-{n}-metric"] = criterion.metric
        data[f"criteria-{n}-expected"] = criterion.expected
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def evaluation_post(pilot: Pilot, met: str = "ja", **overrides) -> dict:
    data = {
        "version": str(pilot.version),
        "usability_findings": "Behandelaars begrijpen de score en werken er vlot mee.",
        "other_findings": "",
    }
    for criterion in pilot.criteria.all():
        data[f"measured_{criterion.pk}"] = "8"
        data[f"met_{criterion.pk}"] = met
    data.update(overrides)
    return data
