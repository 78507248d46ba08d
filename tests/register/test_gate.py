"""At the go-live gate: for an impactful algorithm or a high-risk AI system, a complete,
valid register entry exported after the last change; the gate page and the portfolio
agree at every step."""

import pytest
from django.urls import reverse

from tests.gates.helpers import make_ready_world
from tests.register.helpers import TEAM_VALUES
from tests.world import make_risk
from tracker.algorithms.models import Algorithm
from tracker.dashboards.portfolio import portfolio_rows
from tracker.gates.readiness import REGISTER_ENTRY_KEY, go_live_readiness
from tracker.register.actions import export_entry, save_entry
from tracker.risks.actions import update_risk

pytestmark = pytest.mark.django_db


def blockers(algorithm) -> tuple[set[str], int]:
    """The gate's blocker keys and the portfolio's count, asserted equal in number."""
    readiness = go_live_readiness(algorithm)
    [row] = portfolio_rows(Algorithm.objects.filter(pk=algorithm.pk))
    assert row.blockers == len(readiness.blockers)
    return readiness.keys, row.blockers


@pytest.fixture
def ready(register_standard):
    gate = make_ready_world(impactful=True, register=False)
    algorithm = gate.algorithm
    algorithm.description = "Signaleert aanvragen die extra aandacht vragen."
    algorithm.save()
    risk = make_risk(gate.measure, gate.contributor, accepted_by=gate.approver)
    gate.risk = risk
    return gate


def test_the_entry_blocks_an_impactful_algorithm_until_exported(ready):
    algorithm = ready.algorithm
    keys, count = blockers(algorithm)
    assert keys == {REGISTER_ENTRY_KEY}
    assert count == 1
    [blocker] = go_live_readiness(algorithm).blockers
    assert blocker.category == "betrokkenen"
    assert blocker.url == f"/algoritmes/{algorithm.slug}/algoritmeregister/"

    save_entry(algorithm, ready.owner, expected_version=0, submitted=TEAM_VALUES)
    assert blockers(algorithm) == ({REGISTER_ENTRY_KEY}, 1)  # complete, not exported
    export_entry(algorithm, ready.owner)
    assert blockers(algorithm) == (set(), 0)


def test_editing_a_residual_risk_after_export_blocks_again_until_a_new_export(ready):
    algorithm = ready.algorithm
    save_entry(algorithm, ready.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(algorithm, ready.owner)
    assert blockers(algorithm) == (set(), 0)

    risk = ready.risk
    update_risk(risk, ready.contributor, expected_version=risk.version, mitigation="Steekproef")
    assert algorithm.register_entry.__class__.objects.get(algorithm=algorithm).changed_fields == [
        "risks"
    ]
    assert blockers(algorithm) == ({REGISTER_ENTRY_KEY}, 1)

    export_entry(algorithm, ready.owner)
    assert blockers(algorithm) == (set(), 0)


def test_a_high_risk_ai_system_needs_it_too_and_an_other_algorithm_not(ready):
    algorithm = ready.algorithm
    algorithm.impactful = False
    algorithm.save()
    assert blockers(algorithm) == (set(), 0)
    algorithm.is_ai_system, algorithm.risicogroep = True, "hoog-risico-ai-systeem"
    algorithm.save()
    assert blockers(algorithm) == ({REGISTER_ENTRY_KEY}, 1)


def test_the_export_is_evidence_on_the_affected_persons_criterion(ready):
    algorithm = ready.algorithm
    criterion = ready.criteria["betrokkenen-geinformeerd"]
    before = criterion.evidence.count()
    save_entry(algorithm, ready.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(algorithm, ready.owner)
    assert criterion.evidence.count() == before + 1
    assert criterion.evidence.order_by("-pk").first().title.startswith("Registratie voor")


def test_the_gate_page_shows_the_blocker_with_a_link_to_the_entry(client, ready):
    algorithm = ready.algorithm
    client.force_login(ready.viewer)
    gate = reverse("gates:go_live", args=[algorithm.slug])
    html = client.get(gate).content.decode()
    assert "Geen volledige, geldige registratie voor het Algoritmeregister" in html
    assert reverse("register:entry", args=[algorithm.slug]) in html
    save_entry(algorithm, ready.owner, expected_version=0, submitted=TEAM_VALUES)
    export_entry(algorithm, ready.owner)
    assert "Geen volledige, geldige registratie" not in client.get(gate).content.decode()
