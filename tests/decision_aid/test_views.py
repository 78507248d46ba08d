"""The aid's pages without JavaScript: question by question with a way back, the result
with the checklist preview, applying on confirmation; access checked in Python."""

import pytest
from django.urls import reverse

from tests.decision_aid.helpers import aid_dir, make_decision_tree
from tests.decision_aid.test_walk_real import HIGH_RISK_DEPLOYER
from tests.world import make_world
from tracker.decision_aid.importer import import_tree
from tracker.decision_aid.models import DecisionAidRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_walk_through_the_real_aid_and_apply(client, world):
    tree = import_tree(aid_dir("v1.2.24")).tree
    client.force_login(world.owner)
    slug = world.algorithm.slug
    start = client.get(reverse("decision_aid:algorithm_start", args=[slug]))
    assert start.status_code == 200
    assert "Start de beslishulp" in start.text
    url = reverse("decision_aid:algorithm_question", args=[slug])
    response = client.get(url, {"v": tree.pk})
    assert response.status_code == 200
    assert "Bevat de (beoogde) toepassing een algoritme?" in response.text
    assert 'action="' + url + '"' in response.text  # a real form action
    assert "Vraag 1" in response.text
    choices = []
    for question_id, text in HIGH_RISK_DEPLOYER[:-1]:
        question = response.context["question"]
        assert question.id == question_id
        choices.append([a.answer for a in question.answers].index(text))
        response = client.get(url, {"v": tree.pk, "a": choices})
        assert response.status_code == 200
    assert response.context["question"].id == "2.9"
    assert f"Vraag {len(choices) + 1}" in response.text
    assert "<script" not in response.context["explanation"]
    # Back: the previous question again.
    back = client.get(response.context["back_url"])
    assert back.context["question"].id == HIGH_RISK_DEPLOYER[-2][0]
    # The last answer leads to the result page.
    choices.append(1)  # 2.9: Nee
    response = client.get(url, {"v": tree.pk, "a": choices})
    assert response.status_code == 302
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert "Conclusie 13.0.2" in result.text
    assert "Hoog-risico-AI-systeem" in result.text
    assert "Gevolgen voor de checklist" in result.text
    assert not DecisionAidRun.objects.exists()  # nothing changes before confirmation

    applied = client.post(
        reverse("decision_aid:algorithm_apply", args=[slug]),
        {"v": tree.pk, "a": choices, "version": world.algorithm.version},
    )
    assert applied.status_code == 302
    world.algorithm.refresh_from_db()
    assert world.algorithm.risicogroep == "hoog-risico-ai-systeem"
    run = DecisionAidRun.objects.get()
    assert run.created_by == world.owner
    detail = client.get(world.algorithm.get_absolute_url())
    assert "Grond voor het AI-profiel" in detail.text
    assert "13.0.2" in detail.text


def test_htmx_gets_only_the_question(client, world):
    tree = make_decision_tree()
    client.force_login(world.owner)
    url = reverse("decision_aid:algorithm_question", args=[world.algorithm.slug])
    response = client.get(url, {"v": tree.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="question"')
    assert "<strong>vet</strong>" in response.text
    assert "alert(1)" not in response.text


def test_a_stale_apply_is_refused(client, world):
    tree = make_decision_tree()
    client.force_login(world.owner)
    response = client.post(
        reverse("decision_aid:algorithm_apply", args=[world.algorithm.slug]),
        {"v": tree.pk, "a": [1], "version": world.algorithm.version + 1},
    )
    assert response.status_code == 409
    assert not DecisionAidRun.objects.exists()


def test_answers_that_do_not_fit_say_so(client, world):
    tree = make_decision_tree()
    client.force_login(world.owner)
    url = reverse("decision_aid:question")
    response = client.get(url, {"v": tree.pk, "a": [7]})
    assert response.status_code == 400
    assert "heeft geen antwoord 8" in response.text


def test_standalone_aid_shows_the_result_without_applying(client, world):
    tree = make_decision_tree()
    client.force_login(world.outsider)
    response = client.get(reverse("decision_aid:result"), {"v": tree.pk, "a": [1]})
    assert response.status_code == 200
    assert "Geen algoritme" in response.text
    assert "Bevestigen en toepassen" not in response.text


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_only_managers_use_the_aid_on_an_algorithm(client, world, role, status):
    tree = make_decision_tree()
    client.force_login(world.users[role])
    slug = world.algorithm.slug
    assert (
        client.get(
            reverse("decision_aid:algorithm_question", args=[slug]), {"v": tree.pk}
        ).status_code
        == status
    )
    response = client.post(
        reverse("decision_aid:algorithm_apply", args=[slug]),
        {"v": tree.pk, "a": [0], "version": world.algorithm.version},
    )
    assert response.status_code == status
    assert not DecisionAidRun.objects.exists()


def test_htmx_answer_that_concludes_navigates_to_the_result_page(client, world):
    tree = make_decision_tree()
    client.force_login(world.owner)
    url = reverse("decision_aid:algorithm_question", args=[world.algorithm.slug])
    response = client.get(url, {"v": tree.pk, "a": [1]}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "/beslishulp/resultaat/" in response["HX-Redirect"]


def test_the_run_is_in_the_dossier_as_the_grounds_for_the_profile(client, world):
    from tracker.decision_aid.runs import store_and_apply
    from tracker.exports.dossier import build_dossier

    tree = make_decision_tree()
    result = tree.tree()
    from tracker.decision_aid.walk import walk

    store_and_apply(
        world.algorithm, tree, walk(result, [1]), actor=world.owner, version=world.algorithm.version
    )
    world.algorithm.refresh_from_db()
    dossier = build_dossier(world.algorithm, generated_by="test")
    assert dossier["classification"]["tree"] == tree.label
    assert dossier["classification"]["steps"][0]["answer"] == "Nee"
    assert dossier["classification"]["conclusion_id"] == "2"
    client.force_login(world.owner)
    response = client.get(reverse("exports:json", args=[world.algorithm.slug]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b'"classification"' in body
