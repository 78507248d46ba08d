from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.world import make_user
from tracker.audit.models import AuditEntry
from tracker.checklist import actions
from tracker.checklist.models import ChecklistItem, Comment, ItemDecision

Status = ChecklistItem.Status


def test_update_saves_bumps_version_and_records_old_and_new(world):
    item = world.item
    saved = actions.update_item(
        item,
        world.contributor,
        expected_version=1,
        status=Status.IN_PROGRESS,
        owner=world.approver,
        due_date=date(2026, 6, 1),
        justification="",
    )
    item.refresh_from_db()
    assert (item.status, item.owner, item.due_date, item.version) == (
        Status.IN_PROGRESS,
        world.approver,
        date(2026, 6, 1),
        2,
    )
    assert saved.version == 2
    entry = AuditEntry.objects.for_object(item).get()
    assert entry.actor == world.contributor
    assert entry.algorithm == world.algorithm
    assert entry.action == "update"
    assert entry.changes == {
        "status": ["open", "in_progress"],
        "owner": [None, "approver"],
        "due_date": [None, "2026-06-01"],
        "version": [1, 2],
    }


def test_unchanged_values_save_nothing(world):
    actions.update_item(world.item, world.contributor, expected_version=1, status=Status.OPEN)
    world.item.refresh_from_db()
    assert world.item.version == 1
    assert not AuditEntry.objects.for_object(world.item).exists()


def test_stale_version_is_refused_with_what_changed_meanwhile(world):
    item = world.item
    actions.update_item(item, world.approver, expected_version=1, status=Status.DONE)

    with pytest.raises(actions.StaleEdit) as caught:
        actions.update_item(item, world.contributor, expected_version=1, status=Status.IN_PROGRESS)

    item.refresh_from_db()
    assert (item.status, item.version) == (Status.DONE, 2)  # nothing overwritten
    stale = caught.value
    assert stale.item.version == 2
    [change] = stale.changes
    assert (change.field, change.old, change.new, change.actor) == (
        "status",
        "Open",
        "Gereed",
        "approver",
    )
    assert str(change).startswith("status: Open -> Gereed door approver om ")
    assert AuditEntry.objects.for_object(item).count() == 1


def test_changes_since_lists_only_entries_after_the_forms_version(world):
    item = world.item
    actions.update_item(item, world.approver, expected_version=1, status=Status.IN_PROGRESS)
    actions.update_item(item, world.owner, expected_version=2, due_date=date(2026, 1, 31))
    actions.update_item(item, world.approver, expected_version=3, status=Status.DONE)

    changes = actions.changes_since(item, 2)
    assert [(c.field, c.old, c.new, c.actor) for c in changes] == [
        ("deadline", "leeg", "31-01-2026", "owner"),
        ("status", "In behandeling", "Gereed", "approver"),
    ]
    assert len(actions.changes_since(item, 1)) == 3
    assert actions.changes_since(item, 4) == []


def test_not_applicable_needs_a_justification(world):
    with pytest.raises(ValidationError) as caught:
        actions.update_item(
            world.item, world.contributor, expected_version=1, status=Status.NOT_APPLICABLE
        )
    assert "justification" in caught.value.message_dict
    world.item.refresh_from_db()
    assert (world.item.status, world.item.version) == (Status.OPEN, 1)
    assert not AuditEntry.objects.exists()


def test_owner_must_be_a_member(world):
    with pytest.raises(ValidationError) as caught:
        actions.update_item(world.item, world.contributor, expected_version=1, owner=world.outsider)
    assert "owner" in caught.value.message_dict
    world.item.refresh_from_db()
    assert world.item.owner is None


def test_unknown_fields_are_a_programming_error(world):
    with pytest.raises(TypeError):
        actions.update_item(world.item, world.contributor, expected_version=1, retired_at=None)


def test_work_instruction_has_the_same_protection(world):
    item = world.item
    actions.update_instruction(item, world.contributor, expected_version=1, text="# Stap 1")
    item.refresh_from_db()
    assert (item.work_instruction, item.version) == ("# Stap 1", 2)
    with pytest.raises(actions.StaleEdit) as caught:
        actions.update_instruction(item, world.owner, expected_version=1, text="Anders")
    assert caught.value.changes[0].field == "werkinstructie"
    item.refresh_from_db()
    assert item.work_instruction == "# Stap 1"


def test_decide_and_comment_are_recorded(world):
    decision = actions.decide_item(
        world.item,
        world.approver,
        verdict=ItemDecision.Verdict.CONDITIONAL,
        conditions="Eerst DPIA afronden",
        rationale="Risico's zijn beheersbaar",
    )
    comment = actions.add_comment(world.item, world.contributor, body="Wie pakt dit op?")
    assert ItemDecision.objects.get() == decision
    assert Comment.objects.get() == comment
    decided = AuditEntry.objects.for_object(decision).get()
    assert decided.changes["verdict"] == [None, "conditional"]
    assert decided.algorithm == world.algorithm
    assert AuditEntry.objects.for_object(comment).get().actor == world.contributor


def test_a_new_member_can_own_an_item(world):
    from tests.world import add_member

    newcomer = make_user("nieuw")
    add_member(world.algorithm, newcomer, "viewer")
    actions.update_item(world.item, world.owner, expected_version=1, owner=newcomer)
    world.item.refresh_from_db()
    assert world.item.owner == newcomer


def test_stale_edit_without_a_versioned_trail_shows_the_current_values(world):
    from django.db.models import F

    ChecklistItem.objects.filter(pk=world.item.pk).update(
        version=F("version") + 1, status=Status.DONE, owner=world.owner
    )  # e.g. a change recorded without its version
    with pytest.raises(actions.StaleEdit) as caught:
        actions.update_item(world.item, world.contributor, expected_version=1, status=Status.OPEN)
    assert caught.value.changes == []
    assert caught.value.lines() == [
        "Iemand anders heeft dit item intussen gewijzigd:",
        "Huidige waarden: status: Gereed, eigenaar: owner, deadline: leeg.",
    ]
