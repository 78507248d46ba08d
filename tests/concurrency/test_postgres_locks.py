"""Races on PostgreSQL, with real threads and a connection each: locks taken in one
order, the shared content-release row never locked, no deadlock between a comment and
an item update. SQLite serialises all writes (one writer, immediate transactions), so
these row-lock races cannot occur there."""

import threading
import time

import pytest
from django.db import connection, transaction

from tests.concurrency.threads import Worker, on_statement
from tests.world import add_member, make_algorithm, make_checklist_item, make_release, make_user
from tracker.algorithms import actions as algorithm_actions
from tracker.audit.models import AuditChainHead, AuditEntry
from tracker.audit.verify import verify_chain
from tracker.checklist import actions as checklist_actions
from tracker.checklist.models import ChecklistItem, Comment
from tracker.pilots import actions as pilot_actions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races: SQLite has one writer at a time and no row locks",
    ),
]


@pytest.mark.parametrize(
    "hold",
    [
        pytest.param(lambda a: algorithm_actions.locked(a, a.version), id="algorithm-edit"),
        pytest.param(pilot_actions.locked_algorithm, id="pilot-edit"),
    ],
)
def test_two_algorithms_on_one_release_lock_independently(hold):
    release = make_release()
    first, second = make_algorithm(release=release), make_algorithm(release=release)
    owner = make_user()
    add_member(second, owner, "owner")

    def edit_second():
        return algorithm_actions.update_details(
            second,
            actor=owner,
            version=second.version,
            values={"name": "Ander algoritme", "description": "Los van het eerste"},
        )

    with transaction.atomic():
        hold(first)  # the first algorithm's edit holds its lock for the rest of this block
        worker = Worker(edit_second, lock_timeout="1s")
        worker.start()
        worker.finish()
    assert worker.error is None, f"blocked by the first algorithm's lock: {worker.error!r}"
    second.refresh_from_db()
    assert second.name == "Ander algoritme"


def test_a_comment_and_an_item_update_in_parallel_do_not_deadlock():
    """The deadlock seen under load: a comment transaction held the audit chain head and
    took its foreign-key lock on the item only at commit, while an item update held the
    item and waited for the chain head. Now the comment takes its key-share lock on the
    item before the head (foreign keys checked at once), the algorithm's figures are
    written before the head too, and the update locks its item for no-key update, which a
    key-share lock does not block. Here the comment is stopped right after taking the
    chain head until the update has locked its item (with a plain FOR UPDATE it could
    not) and waits behind the comment; then both commit."""
    algorithm = make_algorithm()
    user = make_user()
    add_member(algorithm, user, "owner")
    item = make_checklist_item(algorithm)
    AuditChainHead.objects.get_or_create(pk=1)  # as in any running installation
    head_taken, item_locked = threading.Event(), threading.Event()

    def comment():
        def hold_head():
            head_taken.set()
            assert item_locked.wait(10), "the update could not lock its item beside the comment"
            time.sleep(0.5)  # the update now waits behind this transaction's locks

        signal = on_statement('UPDATE "tracker_auditchainhead"', after=hold_head)
        with connection.execute_wrapper(signal):
            return checklist_actions.add_comment(item, user, body="Tegelijk met de wijziging")

    def update():
        signal = on_statement('UPDATE OF "tracker_checklistitem"', after=item_locked.set)
        with connection.execute_wrapper(signal):
            return checklist_actions.update_item(
                item, user, expected_version=item.version, status=ChecklistItem.Status.IN_PROGRESS
            )

    commenter = Worker(comment)
    commenter.start()
    assert head_taken.wait(10), "the comment never reached the chain head"
    updater = Worker(update)
    updater.start()
    for worker in (commenter.finish(), updater.finish()):
        assert worker.error is None, f"{worker.name}: {worker.error!r}"
    assert item_locked.is_set()

    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.IN_PROGRESS
    assert Comment.objects.filter(item=item).count() == 1
    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok


def test_an_item_update_holding_its_locks_only_delays_a_comment():
    """The other order: the update holds its item and the algorithm's figures and pauses
    before the chain head; a comment on the same item waits behind it (the figures are
    locked in the same order by both), then both commit."""
    algorithm = make_algorithm()
    user = make_user()
    add_member(algorithm, user, "owner")
    item = make_checklist_item(algorithm)
    AuditChainHead.objects.get_or_create(pk=1)
    at_head = threading.Event()

    def update():
        def pause():
            at_head.set()
            time.sleep(1)  # the comment starts and waits behind the update

        waiter = on_statement('"tracker_auditchainhead"', before=pause)
        with connection.execute_wrapper(waiter):
            return checklist_actions.update_item(
                item, user, expected_version=item.version, status=ChecklistItem.Status.IN_PROGRESS
            )

    def comment():
        return checklist_actions.add_comment(item, user, body="Na de wijziging")

    updater = Worker(update)
    updater.start()
    assert at_head.wait(10), "the update never reached the chain head"
    commenter = Worker(comment)
    commenter.start()
    for worker in (updater.finish(), commenter.finish()):
        assert worker.error is None, f"{worker.name}: {worker.error!r}"
    assert Comment.objects.filter(item=item).count() == 1
    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok
