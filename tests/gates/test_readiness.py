"""Go-live readiness: every rule of tracker.gates.readiness, one broken at a time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.gates.helpers import add_items, make_ready_world, settle
from tests.world import make_catalog_item, make_checklist_item, make_evidence, make_risk
from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.gates.readiness import CATEGORIES, go_live_readiness

pytestmark = pytest.mark.django_db

Status = ChecklistItem.Status
HIGH_RISK_AI = {
    "is_ai_system": True,
    "soort_toepassing": "ai-systeem",
    "risicogroep": "hoog-risico-ai-systeem",
}


def keys(algorithm) -> set[str]:
    return go_live_readiness(algorithm).keys


def set_status(item: ChecklistItem, status: str, justification: str = "") -> None:
    item.status, item.justification = status, justification
    item.save(update_fields=["status", "justification"])


def test_a_fully_worked_checklist_has_no_blockers():
    gate = make_ready_world(impactful=True)
    readiness = go_live_readiness(gate.algorithm)
    assert readiness.blockers == []
    assert readiness.ready
    assert readiness.item_count == 8
    assert all(criterion.ok for criterion in readiness.criteria)
    assert [key for key, _, count in readiness.figures if count] == []


def test_an_algorithm_not_in_production_is_blocked_by_its_stage():
    gate = make_ready_world()
    gate.algorithm.stage = Algorithm.Stage.PILOT
    gate.algorithm.save()
    readiness = go_live_readiness(gate.algorithm)
    assert [(b.key, b.category, b.conditionable) for b in readiness.blockers] == [
        ("stage:not-production", "stage", False)
    ]


def test_an_open_requirement_blocks_and_links_to_the_item():
    gate = make_ready_world()
    set_status(gate.requirement, Status.IN_PROGRESS)
    [blocker] = go_live_readiness(gate.algorithm).blockers
    assert blocker.key == f"item:{gate.requirement.pk}:not-done"
    assert blocker.category == "vereisten"
    assert blocker.item_id == gate.requirement.pk
    assert blocker.url == reverse("checklist:item", args=[gate.algorithm.slug, gate.requirement.pk])


def test_a_requirement_not_applicable_with_justification_needs_no_evidence():
    gate = make_ready_world()
    gate.requirement.evidence.update(withdrawn_at=timezone.now())
    set_status(gate.requirement, Status.NOT_APPLICABLE, "Geen persoonsgegevens verwerkt.")
    assert keys(gate.algorithm) == set()


def test_a_measure_not_applicable_needs_an_accepted_residual_risk():
    gate = make_ready_world()
    set_status(gate.measure, Status.NOT_APPLICABLE, "Uitgesteld tot na de zomer.")
    assert keys(gate.algorithm) == {f"item:{gate.measure.pk}:not-deferred"}

    risk = make_risk(gate.measure, gate.contributor)  # not accepted yet
    assert keys(gate.algorithm) == {
        f"item:{gate.measure.pk}:not-deferred",
        f"risk:{risk.pk}:unaccepted",
    }

    risk.accepted_by, risk.accepted_at = gate.approver, timezone.now()
    risk.save(update_fields=["accepted_by", "accepted_at"])
    assert keys(gate.algorithm) == set()


def test_an_open_measure_is_deferred_only_with_an_accepted_risk():
    gate = make_ready_world()
    set_status(gate.measure, Status.OPEN)
    assert keys(gate.algorithm) == {f"item:{gate.measure.pk}:not-done"}

    make_risk(gate.measure, gate.contributor, accepted_by=gate.approver)
    assert keys(gate.algorithm) == set()


def test_an_open_requirement_blocks_even_with_an_accepted_risk():
    gate = make_ready_world()
    set_status(gate.requirement, Status.OPEN)
    make_risk(gate.requirement, gate.contributor, accepted_by=gate.approver)
    assert keys(gate.algorithm) == {f"item:{gate.requirement.pk}:not-done"}


def test_an_expired_acceptance_blocks_again():
    gate = make_ready_world()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    risk = make_risk(
        gate.requirement, gate.contributor, accepted_by=gate.approver, acceptance_expires=yesterday
    )
    [blocker] = go_live_readiness(gate.algorithm).blockers
    assert (blocker.key, blocker.category) == (f"risk:{risk.pk}:unaccepted", "risicos")
    assert blocker.item_id == gate.requirement.pk


def test_items_without_owner_and_done_items_without_active_evidence_block():
    gate = make_ready_world()
    gate.requirement.owner = None
    gate.requirement.save(update_fields=["owner"])
    gate.measure.evidence.update(withdrawn_at=timezone.now(), withdrawn_by=gate.contributor)
    readiness = go_live_readiness(gate.algorithm)
    assert readiness.keys == {
        f"item:{gate.requirement.pk}:no-owner",
        f"item:{gate.measure.pk}:no-evidence",
    }
    assert readiness.counts == {"eigenaar": 1, "bewijs": 1}


def test_retired_items_never_block():
    gate = make_ready_world()
    retired = make_checklist_item(
        gate.algorithm,
        make_catalog_item(gate.algorithm.release, kind=CatalogItem.Kind.REQUIREMENT),
        retired_at=timezone.now(),
        retired_reason="Fase gewijzigd",
    )
    make_risk(retired, gate.contributor)  # unaccepted, but on a retired item
    assert keys(gate.algorithm) == set()


def test_a_missing_criterion_blocks():
    gate = make_ready_world()
    item = gate.criteria["werkinstructies"]
    item.retired_at = timezone.now()
    item.save(update_fields=["retired_at"])
    readiness = go_live_readiness(gate.algorithm)
    assert readiness.keys == {"criterion:werkinstructies:missing"}
    state = next(c for c in readiness.criteria if c.key == "werkinstructies")
    assert (state.ok, state.item_id) == (False, None)


def test_a_criterion_marked_not_applicable_does_not_count_as_done():
    gate = make_ready_world()
    item = gate.criteria["restrisicos"]
    set_status(item, Status.NOT_APPLICABLE, "Geen restrisico's.")
    [blocker] = go_live_readiness(gate.algorithm).blockers
    assert (blocker.key, blocker.category) == (f"item:{item.pk}:not-done", "criteria")


@pytest.mark.parametrize("status", [Status.OPEN, Status.NOT_APPLICABLE])
def test_impactful_algorithm_must_inform_affected_persons(status):
    gate = make_ready_world(impactful=True)
    set_status(gate.criteria["betrokkenen-geinformeerd"], status, "Alleen intern gebruikt.")
    readiness = go_live_readiness(gate.algorithm)
    assert [(b.key, b.category) for b in readiness.blockers] == [
        ("affected-persons", "betrokkenen")
    ]
    assert readiness.affected_persons_mandatory


def test_high_risk_ai_system_must_inform_affected_persons():
    gate = make_ready_world(**HIGH_RISK_AI)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.NOT_APPLICABLE, "Intern.")
    assert keys(gate.algorithm) == {"affected-persons"}


def test_missing_affected_persons_criterion_of_an_impactful_algorithm():
    gate = make_ready_world(impactful=True)
    item = gate.criteria["betrokkenen-geinformeerd"]
    item.retired_at = timezone.now()
    item.save(update_fields=["retired_at"])
    assert keys(gate.algorithm) == {"affected-persons"}


def test_affected_persons_may_be_not_applicable_otherwise():
    gate = make_ready_world(
        impactful=False, is_ai_system=True, risicogroep="geen-hoog-risico-ai-systeem"
    )
    item = gate.criteria["betrokkenen-geinformeerd"]
    set_status(item, Status.NOT_APPLICABLE, "Geen externe betrokkenen.")
    assert keys(gate.algorithm) == set()
    set_status(item, Status.OPEN)
    assert keys(gate.algorithm) == {f"item:{item.pk}:not-done"}


def test_groups_and_figures_come_from_the_same_blockers():
    gate = make_ready_world(impactful=True)
    add_items(gate.algorithm, 4, gate.contributor)
    set_status(gate.criteria["betrokkenen-geinformeerd"], Status.OPEN)
    readiness = go_live_readiness(gate.algorithm)
    grouped = [blocker for group in readiness.groups for blocker in group.blockers]
    assert sorted(b.key for b in grouped) == sorted(readiness.keys)
    figures = {key: count for key, _, count in readiness.figures}
    assert set(figures) == {c.key for c in CATEGORIES}
    assert figures["maatregelen"] == 2
    assert figures["eigenaar"] == 2
    assert figures["betrokkenen"] == 1
    assert sum(figures.values()) == len(readiness.blockers)


def count_queries(algorithm) -> int:
    with CaptureQueriesContext(connection) as queries:
        go_live_readiness(algorithm)
    return len(queries)


def test_query_count_does_not_grow_with_the_checklist():
    gate = make_ready_world()
    add_items(gate.algorithm, 10, gate.contributor)
    with_ten = count_queries(gate.algorithm)
    add_items(gate.algorithm, 90, gate.contributor)
    for item in gate.algorithm.items.all()[:20]:
        make_risk(item, gate.contributor)
        make_evidence(item, gate.contributor)
    assert len(go_live_readiness(gate.algorithm).blockers) > 100
    assert (
        with_ten == count_queries(gate.algorithm) == 3
    )  # items, unaccepted risks, algorithm-level rules


def test_settle_helper_leaves_nothing_open():
    """The helper used above really produces a settled item (guards the other tests)."""
    gate = make_ready_world()
    item = settle(make_checklist_item(gate.algorithm), gate.contributor)
    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.owner == gate.contributor
    assert item.evidence.active().count() == 1


def test_gate_counts_items_up_to_implementatie_not_those_of_later_phases():
    gate = make_ready_world()
    earlier = make_checklist_item(
        gate.algorithm,
        make_catalog_item(gate.algorithm.release, kind=CatalogItem.Kind.REQUIREMENT),
        origin_phase="ontwerp",
    )
    later = make_checklist_item(
        gate.algorithm,
        make_catalog_item(gate.algorithm.release, kind=CatalogItem.Kind.REQUIREMENT),
        origin_phase="monitoring-en-beheer",
    )
    found = keys(gate.algorithm)
    assert f"item:{earlier.pk}:not-done" in found
    assert not [key for key in found if key.startswith(f"item:{later.pk}:")]


def test_many_blockers_cost_one_url_pattern_and_no_front_matter(monkeypatch):
    """Per blocker neither a reverse() nor a JSON decode of the item's front matter."""
    from tracker.checklist import models as checklist_models
    from tracker.gates import readiness

    gate = make_ready_world()
    add_items(gate.algorithm, 60, gate.contributor)
    calls = []
    real_reverse = readiness.reverse
    # The gate's own reverse() and the item pattern's (checklist.models.url_per_item).
    for module in (readiness, checklist_models):
        monkeypatch.setattr(
            module, "reverse", lambda *a, **k: calls.append(a) or real_reverse(*a, **k)
        )
    loaded = readiness._items(gate.algorithm, timezone.localdate())
    assert all("front_matter" in item.catalog_item.get_deferred_fields() for item in loaded)
    found = go_live_readiness(gate.algorithm)
    assert len(found.blockers) >= 60
    assert len(calls) == 2  # the list and the item pattern
    some = next(b for b in found.blockers if b.item_id)
    assert some.url == reverse("checklist:item", args=[gate.algorithm.slug, some.item_id])
    assert {c.key for c in found.criteria if c.ok} == {c.key for c in found.criteria}
