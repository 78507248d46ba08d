"""record_many: a bulk append chained exactly like record(), verifiable as one chain."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.world import make_world
from tracker.audit.models import AuditChainHead, AuditEntry
from tracker.audit.trail import Pending, record, record_many
from tracker.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_bulk_entries_continue_the_chain_and_verify():
    world = make_world()
    first = record(actor=world.owner, obj=world.algorithm, action="update", changes={})
    earlier = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Amsterdam"))
    count = record_many(
        [
            Pending(
                actor=world.contributor,
                obj=world.item,
                action="update",
                changes={"status": ["open", "done"]},
                algorithm=world.algorithm,
                at=earlier,
            ),
            Pending(actor=None, obj=world.algorithm, action="checklist_synced"),
            Pending(actor=world.owner, obj=world.item, action="update", repr_="Eigen tekst"),
        ],
        batch_size=2,  # crosses a batch boundary
    )
    assert count == 3
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [first.seq, first.seq + 1, first.seq + 2, first.seq + 3]
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    second = entries[1]
    assert second.at == earlier
    assert second.actor_name == "contributor"
    assert second.changes == {"status": ["open", "done"]}
    assert entries[2].actor is None
    assert entries[2].actor_name == ""
    assert entries[3].object_repr == "Eigen tekst"
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (entries[-1].seq, entries[-1].hash)
    assert verify_chain().ok

    # record() continues after the bulk append
    after = record(actor=world.owner, obj=world.algorithm, action="update")
    assert after.seq == entries[-1].seq + 1
    assert after.prev_hash == entries[-1].hash
    assert verify_chain().ok


def test_an_empty_batch_changes_nothing():
    world = make_world()
    entry = record(actor=world.owner, obj=world.algorithm, action="update")
    assert record_many([]) == 0
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (entry.seq, entry.hash)
