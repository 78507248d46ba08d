"""Verifying the audit trail's hash chain.

Entries are walked in ``seq`` order with a chunked iterator (a server-side cursor on
PostgreSQL), so memory stays bounded however long the trail is. The first problem
found is reported; an altered, removed or reordered entry always produces one:

- every entry's stored hash must equal the hash recomputed from its content;
- every entry's ``prev_hash`` must equal the previous entry's hash ("0" * 64 for #1);
- ``seq`` must run 1, 2, 3, ... without gaps;
- the chain head (written in the same transaction as each entry) must name the last
  entry, which reveals entries removed from the end.

Entries recorded while the walk runs are picked up: the walk follows the chain head
until it stops moving.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from tracker.audit.models import AuditChainHead, AuditEntry
from tracker.audit.trail import GENESIS_HASH

CHUNK_SIZE = 2000
MAX_ROUNDS = 1000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""


class _Broken(Exception):
    def __init__(self, seq: int, problem: str):
        super().__init__(problem)
        self.seq = seq
        self.problem = problem


class _Walker:
    """Checks entries one by one, remembering only the last one it accepted."""

    def __init__(self) -> None:
        self.checked = 0
        self.last_seq = 0
        self.last_hash = GENESIS_HASH

    def walk(self, entries: Iterable[AuditEntry]) -> None:
        for entry in entries:
            self.check(entry)

    def check(self, entry: AuditEntry) -> None:
        expected = self.last_seq + 1
        seq = entry.seq
        if seq > expected:
            where = "at the start of the chain" if expected == 1 else f"after #{self.last_seq}"
            raise _Broken(seq, f"entry #{seq}: sequence gap {where} (entry removed?)")
        if seq < expected:
            raise _Broken(seq, f"entry #{seq}: out of sequence (expected #{expected})")
        if entry.prev_hash != self.last_hash:
            previous = "the genesis hash" if seq == 1 else f"#{self.last_seq}"
            raise _Broken(
                seq,
                f"entry #{seq}: previous entry missing or reordered "
                f"(prev_hash does not match {previous})",
            )
        if entry.compute_hash() != entry.hash:
            raise _Broken(seq, f"entry #{seq}: content altered (hash mismatch)")
        self.checked += 1
        self.last_seq = seq
        self.last_hash = entry.hash


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    return head or (0, GENESIS_HASH)


def verify_chain(chunk_size: int = CHUNK_SIZE) -> VerifyResult:
    """Walk the whole trail; ``ok`` with the number of entries, or the first problem."""
    walker = _Walker()
    head_seq, head_hash = _head()
    entries = AuditEntry.objects.order_by("seq")
    # The first round has no lower bound, so a stray entry #0 is reported too.
    batch = entries.filter(seq__lte=head_seq)
    try:
        for _round in range(MAX_ROUNDS):
            walker.walk(batch.iterator(chunk_size=chunk_size))
            if walker.last_seq < head_seq:
                # Nothing after the last entry up to the head: the end was cut off.
                return _broken(
                    walker,
                    walker.last_seq + 1,
                    f"chain head says #{head_seq} but the last entry is #{walker.last_seq} "
                    "(entries removed from the end)",
                )
            if walker.last_hash != head_hash:
                return _broken(
                    walker,
                    head_seq,
                    f"chain head does not match entry #{head_seq} (hash differs: entry replaced?)",
                )
            beyond = entries.filter(seq__gt=head_seq).values_list("seq", flat=True).first()
            if beyond is None:
                return VerifyResult(ok=True, checked=walker.checked)
            new_seq, new_hash = _head()
            if new_seq == head_seq:
                return _broken(
                    walker,
                    beyond,
                    f"entry #{beyond}: beyond the chain head #{head_seq} "
                    "(added outside the audit trail?)",
                )
            # Entries were recorded meanwhile: follow the head.
            batch = entries.filter(seq__gt=head_seq, seq__lte=new_seq)
            head_seq, head_hash = new_seq, new_hash
    except _Broken as broken:
        return _broken(walker, broken.seq, broken.problem)
    return _broken(
        walker,
        head_seq + 1,
        f"the trail kept growing during verification (beyond #{head_seq}); run it again",
    )


def _broken(walker: _Walker, seq: int, problem: str) -> VerifyResult:
    return VerifyResult(ok=False, checked=walker.checked, first_broken_seq=seq, problem=problem)
