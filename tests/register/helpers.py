"""A seeded high-risk algorithm with a pilot, residual risks and a DPIA document."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.world import (
    World,
    make_catalog_item,
    make_checklist_item,
    make_go_live_criteria,
    make_world,
)
from tests.world_dossier import make_pilot
from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.evidence.actions import add_file, add_url
from tracker.risks.actions import add_risk


@dataclass
class RegisterWorld:
    world: World
    pilot: object
    risk_item: ChecklistItem
    risks: list
    dpia_item: ChecklistItem
    criteria: dict

    @property
    def algorithm(self) -> Algorithm:
        return self.world.algorithm

    def __getattr__(self, name: str):
        return getattr(self.world, name)


def make_register_world() -> RegisterWorld:
    world = make_world()
    algorithm = world.algorithm
    algorithm.description = "Het model geeft consulenten een signaal bij aanvragen bijstand."
    algorithm.is_ai_system = True
    algorithm.risicogroep = "hoog-risico-ai-systeem"
    algorithm.impactful = True
    algorithm.save()
    pilot = make_pilot(
        algorithm,
        world.owner,
        start_date=datetime.date(2026, 1, 5),
        legal_basis="Participatiewet, art. 64",
    )
    risk_item = world.item
    risks = [
        add_risk(
            risk_item,
            world.contributor,
            description="Onterechte signalen bij zelfstandigen",
            likelihood=3,
            impact=4,
            mitigation="Consulent beoordeelt elk signaal zelf",
        ),
        add_risk(
            risk_item,
            world.contributor,
            description="Uitval van de koppeling",
            likelihood=1,
            impact=2,
        ),
    ]
    dpia = make_catalog_item(
        algorithm.release,
        kind=CatalogItem.Kind.INSTRUMENT,
        code="",
        title="Data Protection Impact Assessment",
    )
    dpia.slug = "DPIA"
    dpia.save(update_fields=["slug"])
    dpia_item = make_checklist_item(algorithm, dpia)
    add_file(
        dpia_item,
        world.contributor,
        upload=SimpleUploadedFile("dpia.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="DPIA Bijstandssignaal v1.2",
    )
    add_url(
        dpia_item,
        world.contributor,
        url="https://example.nl/dpia-bijstandssignaal",
        title="DPIA gepubliceerd",
    )
    criteria = make_go_live_criteria(algorithm)
    return RegisterWorld(world, pilot, risk_item, risks, dpia_item, criteria)


TEAM_VALUES = {
    "contact_email": "algoritmes@voorbeeldstad.nl",
    "goal": "<p>Consulenten sneller wijzen op aanvragen die extra aandacht vragen.</p>",
    "category": ["Sociale zekerheid"],
}


def export_for(world: World):
    """A complete entry of the world's algorithm, exported by its owner (imports the
    real standard when none is there yet)."""
    from tracker.register.actions import export_entry, save_entry

    ensure_standard()
    algorithm = world.algorithm
    entry = getattr(algorithm, "register_entry", None) if algorithm.pk else None
    save_entry(
        algorithm,
        world.owner,
        expected_version=entry.version if entry else 0,
        submitted={**TEAM_VALUES, "description_short": "Korte omschrijving."},
    )
    return export_entry(algorithm, world.owner)


def ensure_standard():
    """The real standard from ../shared, imported once."""
    from tests.register.conftest import shared_file
    from tracker.register.importer import import_standard

    return import_standard(shared_file("standard-v1_0.json"))[0]


def entry_form_data(algorithm: Algorithm, **values) -> dict:
    """What the browser posts to register:save: the form as rendered (the prefilled
    values), plus ``values`` (TEAM_VALUES by default)."""
    from tracker.register.entry import entry_state
    from tracker.register.forms import RegisterEntryForm

    form = RegisterEntryForm(entry_state(algorithm))
    data = {
        name: form.initial[name]
        for name in form.fields
        if form.initial.get(name) is not None and form.initial.get(name) is not False
    }
    data.update(values or TEAM_VALUES)
    return data
