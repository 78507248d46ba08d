"""Demo data with a past: run a domain action as if it happened at a given moment.

The demo tells a story of months (registered in spring, a pilot over the summer, a
decision in the autumn), but the app's actions take their time from Django's clock, as
they should. ``frozen_clock(moment)`` makes that clock read ``moment`` for the duration
of the block, so every timestamp the action writes agrees with the others: the audit
entry's ``at``, a decision's ``decided_at`` and its frozen snapshot's ``taken_at``, the
day the go-live gate counts "today" by, and every ``default=timezone.now`` field.

It replaces the clock at its one source: ``django.utils.timezone.now()`` (which the
field defaults, ``auto_now``, ``localdate()`` and the app all call) reads
``datetime.now`` from its own module. Only for the seeding command, in one thread;
never in a request.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone


@contextmanager
def frozen_clock(moment: datetime) -> Iterator[datetime]:
    """Django's clock reads ``moment`` (aware) inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_clock needs an aware datetime")
    real = timezone.datetime
    if real is not datetime:
        raise RuntimeError("frozen_clock cannot be nested")

    class _Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

    timezone.datetime = _Frozen
    try:
        yield moment
    finally:
        timezone.datetime = real
