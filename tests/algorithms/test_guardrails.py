"""Profile guardrails: combinations the content cannot mean are refused, saying why; a
change that drops vereisten names each of them in the preview before anything changes."""

import pytest
from django.urls import reverse

from tests.algorithms.helpers import HIGH_RISK_DEPLOYER
from tests.builders import make_requirement
from tracker.algorithms.models import Algorithm
from tracker.applicability import guardrails
from tracker.checklist import sync

pytestmark = pytest.mark.django_db


def post(world, login, **values):
    data = {"phase": "implementatie", "stage": "pilot", "version": world.algorithm.version}
    data.update(values)
    url = reverse("algorithms:profile", args=[world.algorithm.slug])
    return login(world.owner).post(url, {k: v for k, v in data.items() if v not in (False, None)})


def refused(response, field: str, text: str) -> None:
    assert response.status_code == 200
    assert "plan" not in response.context  # no preview: nothing to confirm
    errors = response.context["form"].errors[field]
    assert any(text in error for error in errors), errors


def ai(**overrides) -> dict:
    values = {**HIGH_RISK_DEPLOYER, "is_ai_system": "on"}
    values.update(overrides)
    return values


def test_the_geen_systeemrisico_trap_is_refused_with_the_reason(world, login):
    response = post(world, login, **ai(systeemrisico="geen-systeemrisico"))
    refused(response, "systeemrisico", "alleen over een AI-model voor algemene doeleinden")
    assert "aia-20, aia-24, aia-25" in response.text
    world.algorithm.refresh_from_db()
    assert world.algorithm.is_ai_system is False  # nothing saved


def test_systemic_risk_of_a_general_purpose_model_must_be_decided(world, login):
    response = post(
        world,
        login,
        **ai(
            soort_toepassing="ai-model-voor-algemene-doeleinden",
            risicogroep="niet-van-toepassing",
            transparantieverplichting="niet-van-toepassing",
            systeemrisico="niet-van-toepassing",
        ),
    )
    refused(response, "systeemrisico", "kies 'Systeemrisico' of 'Geen systeemrisico'")


def test_ai_act_labels_on_an_algorithm_that_is_not_ai_are_refused(world, login):
    values = ai()
    del values["is_ai_system"]
    response = post(world, login, **values)
    refused(response, "risicogroep", "geen AI-systeem: AI-labels horen daar niet bij")


def test_an_ai_system_always_has_a_risk_group(world, login):
    response = post(world, login, **ai(risicogroep="niet-van-toepassing"))
    refused(response, "risicogroep", "valt altijd in een risicogroep")


def test_a_general_purpose_model_gets_no_risk_group_of_a_system(world, login):
    values = ai(
        soort_toepassing="ai-model-voor-algemene-doeleinden",
        transparantieverplichting="niet-van-toepassing",
        systeemrisico="geen-systeemrisico",
    )
    refused(post(world, login, **values), "risicogroep", "krijgt geen risicogroep")


def test_a_general_purpose_model_has_no_transparency_duty(world, login):
    values = ai(
        soort_toepassing="ai-model-voor-algemene-doeleinden",
        risicogroep="niet-van-toepassing",
        systeemrisico="geen-systeemrisico",
    )
    refused(post(world, login, **values), "transparantieverplichting", "niet over een AI-model")


def test_profiles_the_aid_can_give_pass():
    assert guardrails.problems({**HIGH_RISK_DEPLOYER}) == []
    assert guardrails.problems({"is_ai_system": False, "impactful": True}) == []


def test_each_field_explains_its_values(world, login):
    url = reverse("algorithms:profile", args=[world.algorithm.slug])
    response = login(world.owner).get(url)
    form = response.context["form"]
    assert "alleen zo'n model heeft systeemrisico" in form.fields["systeemrisico"].help_text.lower()
    assert (
        "Gebruiksverantwoordelijke: gebruikt een AI-systeem" in form.fields["rol_ai_act"].help_text
    )


def test_preview_names_every_vereiste_that_stops_applying_and_why(world, login):
    release = world.catalog.release
    make_requirement(
        release,
        code="aia-20",
        slug="aia-20-gebruiksverantwoordelijken-maatregelen",
        phases=["implementatie"],
        labels={
            "risicogroep": ["hoog-risico-ai-systeem"],
            "systeemrisico": ["niet-van-toepassing"],
        },
    )
    Algorithm.objects.filter(pk=world.algorithm.pk).update(**HIGH_RISK_DEPLOYER)
    world.algorithm.refresh_from_db()
    sync.sync(world.algorithm, world.owner, "Start")
    assert world.algorithm.items.current().filter(catalog_item__code="aia-20").exists()
    response = post(world, login, **ai(risicogroep="geen-hoog-risico-ai-systeem"))
    assert response.status_code == 200
    dropped = [change.item.code for change in response.context["plan"].retired_requirements]
    assert "aia-20" in dropped
    assert 'id="plan-dropped-requirements"' in response.text
    assert "Risicogroep: Geen hoog-risico-AI-systeem komt niet voor in de vereiste" in response.text
    assert world.algorithm.items.current().filter(catalog_item__code="aia-20").exists()
