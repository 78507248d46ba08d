"""A checklist sync and an item edit in between its plan and its apply: every version
is written once, and no two audit entries claim the same version transition."""

import pytest

from tests.world import make_world
from tracker.audit.models import AuditEntry
from tracker.checklist import actions, sync
from tracker.checklist.models import ChecklistItem

pytestmark = pytest.mark.django_db


def version_moves(item: ChecklistItem) -> list[list[int]]:
    entries = AuditEntry.objects.for_object(item).order_by("seq")
    return [entry.changes["version"] for entry in entries if "version" in entry.changes]


def test_sync_after_a_concurrent_edit_bumps_from_the_version_the_row_has_now():
    world = make_world()
    algorithm, item = world.algorithm, world.item
    # The sync plans (its item stops applying in another phase) ...
    planned = sync.plan(
        algorithm, phase="ontwerp", stage=algorithm.stage, profile=algorithm.profile()
    )
    assert [change.checklist_item.pk for change in planned.retired] == [item.pk]
    # ... someone saves the item meanwhile (version 1 -> 2) ...
    actions.update_item(
        item, world.contributor, expected_version=1, status=ChecklistItem.Status.IN_PROGRESS
    )
    # ... and then the sync applies its plan.
    sync.apply(algorithm, planned, world.owner, "Fase gewijzigd")

    item.refresh_from_db()
    assert item.is_retired
    assert item.status == ChecklistItem.Status.IN_PROGRESS  # the edit is kept
    assert item.version == 3
    assert version_moves(item) == [[1, 2], [2, 3]]


def test_reactivation_after_a_concurrent_edit_bumps_from_the_current_version():
    world = make_world()
    algorithm, item = world.algorithm, world.item
    profile = algorithm.profile()
    sync.apply(
        algorithm,
        sync.plan(algorithm, phase="ontwerp", stage=algorithm.stage, profile=profile),
        world.owner,
        "weg",
    )
    item.refresh_from_db()
    assert (item.is_retired, item.version) == (True, 2)
    planned = sync.plan(algorithm, phase="implementatie", stage=algorithm.stage, profile=profile)
    assert [change.checklist_item.pk for change in planned.reactivated] == [item.pk]
    actions.update_item(
        item, world.contributor, expected_version=2, status=ChecklistItem.Status.IN_PROGRESS
    )
    sync.apply(algorithm, planned, world.owner, "terug")

    item.refresh_from_db()
    assert not item.is_retired
    assert item.version == 4
    assert version_moves(item) == [[1, 2], [2, 3], [3, 4]]
