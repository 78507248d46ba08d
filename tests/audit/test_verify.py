"""verify_chain() and the verify_audit command: an intact chain holds; an altered, a
removed and a reordered entry are each detected and named."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.audit.conftest import bypass_update, raw_delete, raw_sql, raw_swap_seq
from tracker.audit.models import AuditChainHead, AuditEntry
from tracker.audit.trail import GENESIS_HASH, record
from tracker.audit.verify import verify_chain
from tracker.management.commands.verify_audit import Command as VerifyAudit

pytestmark = pytest.mark.django_db


def test_empty_trail_holds() -> None:
    assert verify_chain().ok
    assert verify_chain().checked == 0


def test_intact_chain_holds_across_chunks(make_trail) -> None:
    entries = make_trail(7)
    assert entries[0].seq == 1
    assert entries[0].prev_hash == GENESIS_HASH
    result = verify_chain(chunk_size=2)
    assert result.ok, result.problem
    assert (result.checked, result.first_broken_seq, result.problem) == (7, None, "")


def test_altered_changes_detected(make_trail) -> None:
    make_trail(20)
    bypass_update(17, changes={"description": ["a", "b"]})
    result = verify_chain(chunk_size=3)
    assert not result.ok
    assert result.first_broken_seq == 17
    assert result.checked == 16
    assert result.problem == "entry #17: content altered (hash mismatch)"


def test_altered_actor_name_detected_through_raw_sql(make_trail) -> None:
    make_trail(5)
    raw_sql("UPDATE {table} SET actor_name = %s WHERE seq = %s", ["iemand-anders", 3])
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.problem == "entry #3: content altered (hash mismatch)"


def test_altered_entry_with_recomputed_hash_breaks_the_next_link(make_trail) -> None:
    """A forger who also rewrites the hash is caught by the next entry's prev_hash."""
    make_trail(5)
    entry = AuditEntry.objects.get(seq=3)
    entry.changes = {"description": ["vervalst", "vervalst"]}
    bypass_update(3, changes=entry.changes, hash=entry.compute_hash())
    result = verify_chain()
    assert result.first_broken_seq == 4
    assert result.problem == (
        "entry #4: previous entry missing or reordered (prev_hash does not match #3)"
    )


def test_removed_middle_entry_detected(make_trail) -> None:
    make_trail(20)
    raw_delete(17)
    result = verify_chain()
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 18, 16)
    assert result.problem == "entry #18: sequence gap after #16 (entry removed?)"


def test_removed_first_entry_detected(make_trail) -> None:
    make_trail(3)
    raw_delete(1)
    result = verify_chain()
    assert result.first_broken_seq == 2
    assert result.problem == "entry #2: sequence gap at the start of the chain (entry removed?)"


def test_removed_last_entries_detected_by_the_head(make_trail) -> None:
    make_trail(40)
    raw_delete(40)
    result = verify_chain(chunk_size=7)
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 40, 39)
    assert result.problem == (
        "chain head says #40 but the last entry is #39 (entries removed from the end)"
    )


def test_removing_every_entry_detected(make_trail) -> None:
    make_trail(2)
    raw_delete(1)
    raw_delete(2)
    result = verify_chain()
    assert not result.ok
    assert result.problem == (
        "chain head says #2 but the last entry is #0 (entries removed from the end)"
    )


def test_reordered_entries_detected(make_trail) -> None:
    make_trail(20)
    raw_swap_seq(16, 17)
    result = verify_chain()
    assert (result.ok, result.first_broken_seq, result.checked) == (False, 16, 15)
    assert result.problem == (
        "entry #16: previous entry missing or reordered (prev_hash does not match #15)"
    )


def test_last_entry_replaced_detected_by_the_head(make_trail, world) -> None:
    """Rewrite the last entry consistently (its own hash recomputed): only the head knows."""
    make_trail(3)
    last = AuditEntry.objects.get(seq=3)
    last.actor_name = "niemand"
    bypass_update(3, actor_name="niemand", hash=last.compute_hash())
    result = verify_chain()
    assert result.first_broken_seq == 3
    assert result.problem.startswith("chain head does not match entry #3")


def test_entry_added_outside_the_trail_detected(make_trail) -> None:
    """An entry appended without going through record() (head not moved)."""
    last = make_trail(2)[-1]
    forged = AuditEntry(
        seq=3,
        at=last.at,
        actor_name="ingevoegd",
        object_type=last.object_type,
        object_id=last.object_id,
        action="updated",
        changes={},
        prev_hash=last.hash,
    )
    forged.hash = forged.compute_hash()
    forged.save()
    result = verify_chain()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert result.problem == "entry #3: beyond the chain head #2 (added outside the audit trail?)"


def test_entries_recorded_after_a_verification_keep_the_chain(make_trail, world) -> None:
    make_trail(2)
    assert verify_chain().ok
    record(actor=world.approver, obj=world.item, action="update", changes={"status": ["a", "b"]})
    result = verify_chain()
    assert (result.ok, result.checked) == (True, 3)
    assert AuditChainHead.objects.get().last_seq == 3


# --- the command -----------------------------------------------------------------------


def test_command_reports_intact_trail(make_trail, capsys) -> None:
    make_trail(4)
    call_command("verify_audit")
    assert capsys.readouterr().out.strip() == "audit trail intact: 4 entries"


def test_command_names_the_first_broken_entry(make_trail) -> None:
    make_trail(5)
    raw_sql("UPDATE {table} SET object_repr = %s WHERE seq = %s", ["x", 2])
    with pytest.raises(CommandError, match=r"entry #2: content altered \(hash mismatch\)"):
        call_command("verify_audit")


def test_command_exits_non_zero_when_broken(make_trail, capsys) -> None:
    make_trail(3)
    raw_swap_seq(2, 3)
    with pytest.raises(SystemExit) as exit_info:
        VerifyAudit().run_from_argv(["manage.py", "verify_audit", "--skip-checks"])
    assert exit_info.value.code == 1
    assert "entry #2: previous entry missing or reordered" in capsys.readouterr().err


def test_command_exits_zero_when_intact(make_trail, capsys) -> None:
    make_trail(3)
    VerifyAudit().run_from_argv(["manage.py", "verify_audit", "--skip-checks"])  # no SystemExit
    assert "audit trail intact: 3 entries" in capsys.readouterr().out


def test_command_refuses_a_bad_chunk_size() -> None:
    with pytest.raises(CommandError, match="chunk-size"):
        call_command("verify_audit", chunk_size=0)
