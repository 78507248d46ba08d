"""Portfolio-wide figures, computed once per version of the data and reused until the
next write, so that a page view does not regroup every item of every algorithm.

The version is the audit trail's head (``AuditChainHead.last_seq``): every change a
user or the app makes to an algorithm, its items, evidence, risks, decisions, members
or release is recorded with ``tracker.audit.trail.record()`` / ``record_many()`` in the
transaction of the change, and those bump ``last_seq`` under a row lock. A figure is
therefore never stale after a write: the next view reads a new version and recomputes.
The version is read *before* computing, so a write that commits meanwhile leaves the
stored figure at worst fresher than its key, never older. The day is part of the key too
(overdue items and expiring risk acceptances change with the date, not with a write).

What is cached is the result of the very functions that compute it uncached
(``tracker.dashboards.portfolio.overview``, ``portfolio_rows``, ...), which take their
definitions from tracker.checklist.progress and tracker.gates.rules: the cache holds no
rule of its own, so a change to what counts flows through unchanged.

The cache is the ``figures`` cache of settings.CACHES (a LocMemCache per process; every
process computes its own and all agree, since the key names the version). Tests use a
DummyCache there (tests/conftest.py: their builders write without the audit trail),
except tests/dashboards/test_figure_cache.py, which proves the cached figures equal a
full recomputation after every kind of write.
"""

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.cache import caches
from django.db.models import QuerySet

from tracker.audit.models import AuditChainHead
from tracker.dashboards.models import ReadinessSnapshot

TIMEOUT = 15 * 60  # seconds: a figure nobody asks for again leaves the cache
PREFIX = "portfolio"
CACHE = "figures"  # the alias in settings.CACHES
T = TypeVar("T")


def data_version() -> str:
    """The sequence number and hash of the last audit entry: changes with every write
    (the hash also tells apart two databases, or a restored one, at the same number)."""
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    return f"{head[0]}-{head[1][:16]}" if head else "0"


def snapshot_version() -> int:
    """The newest readiness snapshot's id. The daily command inserts today's rows (new
    ids); overwriting a row of today keeps its id, but changes its figures only when the
    checklist changed meanwhile, which an audited write did, or the date did."""
    return ReadinessSnapshot.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def scope_key(scope) -> str:
    """A key for a scope of algorithms: a queryset of pks (its SQL and parameters, which
    name the user whose visibility it applies and every filter) or a list of pks."""
    if isinstance(scope, QuerySet):
        sql, params = scope.query.sql_with_params()
        raw = f"q|{sql}|{params!r}"
    else:
        raw = "ids|" + ",".join(str(pk) for pk in scope)
    return hashlib.sha256(raw.encode()).hexdigest()


class FigureCache:
    """The cache of one request: the version is read once, on first use."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._version: str | None = None

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = data_version()
        return self._version

    def fragment_key(self, kind: str, scope, *, extra: str = "", snapshots: bool = False) -> str:
        """A key for a rendered part of a page made from the figures of this version,
        day and scope (``{% cache ... using="figures" %}``); ``extra`` names whatever
        else the part shows (e.g. the query string its links carry)."""
        version = f"{self.version}/{snapshot_version()}" if snapshots else self.version
        return f"{kind}:{version}:{self.today.isoformat()}:{scope_key(scope)}:{extra}"

    def get(self, kind: str, scope, compute: Callable[[], T], *, snapshots: bool = False) -> T:
        """``compute()``'s result for this version, day and scope; ``snapshots`` for
        figures read from the readiness snapshots, which the daily snapshot command
        writes without an audit entry: then the newest snapshot's id is part of the key."""
        version = f"{self.version}/{snapshot_version()}" if snapshots else self.version
        key = f"{PREFIX}:{kind}:{version}:{self.today.isoformat()}:{scope_key(scope)}"
        store = caches[CACHE]
        found = store.get(key)
        if found is None:
            found = compute()
            store.set(key, found, TIMEOUT)
        return found
