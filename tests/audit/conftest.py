"""A small world and a way to build an audit trail of any length, plus raw tampering.

The model refuses updates and deletes, so tampering goes around it: raw SQL through
the connection, or QuerySet._update (which skips the QuerySet.update override)."""

from collections.abc import Callable

import pytest
from django.db import connection

from tests.world import World, make_world
from tracker.audit.models import AuditEntry
from tracker.audit.trail import record


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def make_trail(world: World) -> Callable[[int], list[AuditEntry]]:
    """Append n entries about the world's algorithm; returns them oldest first."""

    def make(n: int, *, actor=None, obj=None) -> list[AuditEntry]:
        actor = actor or world.owner
        obj = obj or world.algorithm
        return [
            record(
                actor=actor,
                obj=obj,
                action="updated",
                changes={"description": [f"versie {i}", f"versie {i + 1}"]},
                algorithm=world.algorithm,
            )
            for i in range(n)
        ]

    return make


def raw_sql(sql: str, params: list) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def raw_delete(seq: int) -> None:
    raw_sql("DELETE FROM {table} WHERE seq = %s", [seq])


def raw_swap_seq(a: int, b: int) -> None:
    """Swap two entries' positions in the chain (three steps: seq is unique)."""
    parking = 10**12
    raw_sql("UPDATE {table} SET seq = %s WHERE seq = %s", [parking, a])
    raw_sql("UPDATE {table} SET seq = %s WHERE seq = %s", [a, b])
    raw_sql("UPDATE {table} SET seq = %s WHERE seq = %s", [b, parking])


def bypass_update(seq: int, **values) -> None:
    """UPDATE through QuerySet._update, which the append-only QuerySet.update guards."""
    fields = [(AuditEntry._meta.get_field(name), None, value) for name, value in values.items()]
    AuditEntry.objects.filter(seq=seq)._update(fields)
