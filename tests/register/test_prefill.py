"""A seeded high-risk algorithm with a pilot, risks and a DPIA document: each prefill
and where it came from."""

import pytest

from tests.register.helpers import make_register_world
from tracker.algorithms.models import Algorithm
from tracker.register.entry import entry_state
from tracker.register.prefill import prefill

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(register_standard):
    return make_register_world()


@pytest.fixture
def filled(world, register_standard):
    algorithm = Algorithm.objects.select_related("organisation").get(pk=world.algorithm.pk)
    return prefill(algorithm, register_standard.standard)


def test_name_organisation_description_and_source_id(world, filled):
    assert filled["name"].value == "Toeslagen-risicomodel"
    assert filled["name"].source == "Algoritme: naam"
    assert filled["organization"].value == world.algorithm.organisation.name
    assert filled["organization"].source == "Organisatie van het algoritme"
    assert filled["description_short"].value.startswith("Het model geeft consulenten")
    assert filled["description_short"].source == "Algoritme: omschrijving"
    assert filled["source_id"].value == world.algorithm.slug
    assert filled["source_id"].source == "Kenmerk van het algoritme in de tracker"


def test_category_of_a_high_risk_ai_system(filled):
    assert filled["publication_category"].value == "Hoog-risico AI-systeem"
    assert filled["publication_category"].source == "AI-profiel: hoog-risico-AI-systeem"


def test_category_impactful_and_other(world, register_standard):
    algorithm = world.algorithm
    algorithm.risicogroep = "geen-hoog-risico-ai-systeem"
    algorithm.save()
    assert prefill(algorithm, register_standard.standard)["publication_category"].value == (
        "Impactvolle algoritmes"
    )
    algorithm.impactful = False
    algorithm.save()
    found = prefill(algorithm, register_standard.standard)["publication_category"]
    assert found.value == "Overige algoritmes"
    assert "niet impactvol" in found.source


def test_status_a_pilot_with_real_effects_is_in_use(world, filled):
    assert world.algorithm.stage == Algorithm.Stage.PILOT
    assert world.pilot.processes_production_data
    assert filled["status"].value == "In gebruik"
    assert "stap Pilot" in filled["status"].source
    assert "productiedata" in filled["status"].source


def test_status_from_phase_and_stage(world, register_standard):
    algorithm = world.algorithm
    world.pilot.processes_production_data, world.pilot.legal_basis = False, ""
    world.pilot.save()
    standard = register_standard.standard
    assert prefill(algorithm, standard)["status"].value == "In ontwikkeling"
    algorithm.stage = Algorithm.Stage.PRODUCTION
    algorithm.save()
    assert prefill(algorithm, standard)["status"].value == "In gebruik"
    algorithm.phase, algorithm.stage = "ontwerp", ""
    algorithm.save()
    assert prefill(algorithm, standard)["status"].value == "In ontwikkeling"
    algorithm.phase = "uitfaseren"
    algorithm.save()
    assert prefill(algorithm, standard)["status"].value == "Buiten gebruik"


def test_begin_date_from_the_pilot(filled):
    assert filled["begin_date"].value == "2026-01"
    assert filled["begin_date"].source == "Pilot: startdatum 5 januari 2026"
    assert filled["begin_date"].url.endswith("/pilot/")


def test_risks_from_residual_risks_and_mitigations(filled):
    risks = filled["risks"]
    assert risks.value == (
        "<ul><li>Onterechte signalen bij zelfstandigen<br>Beheersmaatregel: Consulent "
        "beoordeelt elk signaal zelf</li><li>Uitval van de koppeling</li></ul>"
    )
    assert risks.source == "Restrisico's (2) met hun beheersmaatregelen"


def test_lawful_basis_from_the_pilot(filled):
    assert filled["lawful_basis"].value == "<p>Participatiewet, art. 64</p>"
    assert filled["lawful_basis"].source == (
        "Pilot van 5 januari 2026: grondslag voor de verwerking"
    )


def test_impacttoetsen_from_the_dpia_evidence(world, filled):
    text = filled["impacttoetsen"]
    assert text.value.startswith("<ul><li>Data Protection Impact Assessment (DPIA): ")
    assert "DPIA Bijstandssignaal v1.2" in text.value
    assert "DPIA gepubliceerd" in text.value
    assert text.source == "Bewijs: bewijs bij Data Protection Impact Assessment"
    assert text.url == world.dpia_item.get_absolute_url()
    assert filled["impacttoetsen_grouping"].value == [
        {
            "title": "Data Protection Impact Assessment (DPIA)",
            "link": "https://example.nl/dpia-bijstandssignaal",
        }
    ]


def test_withdrawn_evidence_is_no_impact_assessment(world, register_standard):
    from tracker.evidence.actions import withdraw

    for evidence in world.dpia_item.evidence.all():
        withdraw(evidence, world.contributor, reason="Verouderd")
    assert "impacttoetsen" not in prefill(world.algorithm, register_standard.standard)


def test_language_and_version_from_the_standard(filled):
    assert filled["lang"].value == "nld"
    assert filled["standard_version"].value == "1.0"


def test_the_team_writes_the_rest(world, register_standard):
    state = entry_state(world.algorithm)
    assert state.result.missing == ["contact_email"]
    assert state.result.valid
