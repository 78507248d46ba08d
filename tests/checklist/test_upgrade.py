"""Release upgrade on small built catalogs: re-review blocks go-live until confirmed."""

import pytest

from tests.gates.helpers import settle
from tests.world import make_catalog_item, make_release
from tracker.audit.models import AuditEntry
from tracker.checklist.actions import StaleEdit
from tracker.checklist.upgrade import (
    StaleUpgrade,
    UpgradeRefused,
    apply_upgrade,
    confirm_review,
    plan_upgrade,
)
from tracker.gates.readiness import go_live_readiness

pytestmark = pytest.mark.django_db


def test_substance_blocks_until_confirmed_form_does_not(upgraded_world):
    gate, new = upgraded_world
    assert go_live_readiness(gate.algorithm).ready
    plan = apply_upgrade(gate.algorithm, new, gate.owner, expected_version=gate.algorithm.version)
    assert [c.row.pk for c in plan.to_review] == [gate.measure.pk]
    assert [c.row.pk for c in plan.unchanged] == [gate.requirement.pk]

    readiness = go_live_readiness(gate.algorithm)
    assert readiness.keys == {f"item:{gate.measure.pk}:to-review"}
    gate.requirement.refresh_from_db()
    assert not gate.requirement.needs_review

    measure = gate.measure
    measure.refresh_from_db()
    assert measure.needs_review
    assert measure.review_changes["differences"][0]["added"] == ["Een nieuwe zin over toezicht."]
    confirm_review(measure, gate.contributor, expected_version=measure.version)
    measure.refresh_from_db()
    assert not measure.needs_review
    assert go_live_readiness(gate.algorithm).ready
    entry = AuditEntry.objects.filter(action="item_review_confirmed").get()
    assert entry.object_id == str(measure.pk)
    assert entry.actor == gate.contributor


def test_confirm_with_a_stale_version_is_refused(upgraded_world):
    gate, new = upgraded_world
    version = gate.measure.version
    apply_upgrade(gate.algorithm, new, gate.owner)
    with pytest.raises(StaleEdit):
        confirm_review(gate.measure, gate.contributor, expected_version=version)


def test_stale_preview_writes_nothing(upgraded_world):
    gate, new = upgraded_world
    with pytest.raises(StaleUpgrade):
        apply_upgrade(gate.algorithm, new, gate.owner, expected_version=gate.algorithm.version - 1)
    gate.algorithm.refresh_from_db()
    assert gate.algorithm.release.label == "v9.0"


def test_an_older_release_is_refused(upgraded_world):
    gate = upgraded_world[0]
    older = make_release("v1.0")
    with pytest.raises(UpgradeRefused):
        plan_upgrade(gate.algorithm, older)


def test_items_gone_are_retired_not_deleted(upgraded_world):
    gate, new = upgraded_world
    extra = settle(
        gate.world.item.__class__.objects.create(
            algorithm=gate.algorithm, catalog_item=make_catalog_item(gate.algorithm.release)
        ),
        gate.owner,
    )
    plan = apply_upgrade(gate.algorithm, new, gate.owner)
    assert [leaving.row.pk for leaving in plan.retired] == [extra.pk]
    extra.refresh_from_db()
    assert extra.is_retired
    assert extra.retired_reason == "Vervallen in release v9.1"
    assert extra.evidence.exists()
