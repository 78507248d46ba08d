"""Walking the real beslishulp v1.2.24 with real answers: the conclusion upstream's tree
gives, the profile the Algoritmekader's own filter would use, and the checklist."""

import pytest

from tests.decision_aid.helpers import aid_dir
from tests.world import make_organisation, make_user
from tracker.applicability import guardrails
from tracker.catalog.importer import import_release
from tracker.checklist import profile as actions
from tracker.decision_aid.importer import import_tree
from tracker.decision_aid.models import DecisionAidRun
from tracker.decision_aid.profile import content_labels, profile_values
from tracker.decision_aid.runs import store_and_apply
from tracker.decision_aid.tree import parse_folder
from tracker.decision_aid.walk import choices_for, walk

HIGH_RISK_DEPLOYER = [
    ("1.1", "Ja"),
    ("1.2", "We gebruiken een extern ontwikkelde toepassing zonder aanpassingen"),
    ("1.3", "In gebruik"),
    ("1.4.1", "Ja, het is een AI-systeem"),
    ("1.5", "Nee"),
    ("2.0", "Naar risicogroep bepaling"),
    ("2.1", "Nee"),
    ("2.3", "Geen van beide"),
    ("2.4", "Ja"),
    ("2.7.2", "Nee"),
    ("2.5", "Ja"),
    ("2.9", "Nee"),
]
OPEN_SOURCE_PROVIDER = [
    ("1.1", "Ja"),
    ("1.2", "We ontwikkelen enkel"),
    ("1.3", "In ontwikkeling"),
    ("1.4.1", "Ja, het is een AI-systeem"),
    ("1.5", "Nee"),
    ("2.0", "Naar risicogroep bepaling"),
    ("2.1", "Nee"),
    ("2.3", "Geen van beide"),
    ("2.4", "Nee"),
    ("2.11", "Ja"),
    ("2.9", "Nee"),
]
NOT_AN_ALGORITHM = [("1.1", "Nee")]


@pytest.fixture(scope="module")
def tree():
    return parse_folder(aid_dir("v1.2.24"))


def walked(tree, answers):
    return walk(tree, choices_for(tree, answers))


def test_high_risk_deployer(tree):
    result = walked(tree, HIGH_RISK_DEPLOYER)
    assert result.conclusion.id == "13.0.2"
    assert "gebruiksverantwoordelijke van een hoog-risico AI-systeem" in (
        result.conclusion.conclusion
    )
    assert set(content_labels(result.labels)) == {
        "rol-ai-act-gebruiksverantwoordelijke",
        "soort-toepassing-ai-systeem",
        "risicogroep-hoog-risico-ai-systeem",
        "transparantieverplichting-geen-transparantieverplichting",
        "systeemrisico-niet-van-toepassing",
        "open-source-niet-van-toepassing",
    }
    values = profile_values(result.labels, impactful=True)
    assert values["systeemrisico"] == "niet-van-toepassing"  # not the "Geen" trap
    assert guardrails.problems(values) == []


def test_non_high_risk_open_source_provider(tree):
    result = walked(tree, OPEN_SOURCE_PROVIDER)
    assert result.conclusion.id == "11.2"
    assert set(content_labels(result.labels)) == {
        "rol-ai-act-aanbieder",
        "soort-toepassing-ai-systeem",
        "risicogroep-geen-hoog-risico-ai-systeem",
        "open-source-open-source",
        "transparantieverplichting-geen-transparantieverplichting",
        "systeemrisico-niet-van-toepassing",
    }
    assert guardrails.problems(profile_values(result.labels, impactful=False)) == []


def test_not_an_algorithm(tree):
    result = walked(tree, NOT_AN_ALGORITHM)
    assert result.conclusion.id == "11.0"
    assert "geen sprake is van een algoritme" in result.conclusion.conclusion
    values = profile_values(result.labels, impactful=False)
    assert values["is_ai_system"] is False
    assert "soort-toepassing-geen-algoritme" in content_labels(result.labels)


@pytest.mark.django_db
def test_high_risk_deployer_checklist_in_implementatie_holds_the_deployer_duties(v251, tree):
    release = import_release(v251, label="v2.5.1").release
    stored = import_tree(aid_dir("v1.2.24")).tree
    owner = make_user("aid-owner")
    algorithm = actions.create_algorithm(
        actor=owner,
        values={
            "name": "Risicoscan",
            "description": "",
            "organisation": make_organisation(),
            "release": release,
            "phase": "implementatie",
            "stage": "pilot",
            "impactful": True,
        },
    )
    result = walked(stored.tree(), HIGH_RISK_DEPLOYER)
    run = store_and_apply(algorithm, stored, result, actor=owner, version=algorithm.version)

    codes = set(algorithm.items.current().values_list("catalog_item__code", flat=True))
    assert {"aia-20", "aia-24", "aia-25"} <= codes
    algorithm.refresh_from_db()
    assert algorithm.systeemrisico == "niet-van-toepassing"
    assert algorithm.risicogroep == "hoog-risico-ai-systeem"
    run = DecisionAidRun.objects.get(pk=run.pk)
    assert run.tree == stored
    assert [step["question_id"] for step in run.steps] == [q for q, _ in HIGH_RISK_DEPLOYER]
    assert run.steps[1]["answer"] == HIGH_RISK_DEPLOYER[1][1]
    assert run.conclusion_id == "13.0.2"
    assert run.created_by == owner
    assert algorithm.audit_entries.filter(action="decision_aid_run").exists()
