"""Concurrent recording: the chain head's row lock serialises appends, so two writers
never fork the chain. Needs real row locks: PostgreSQL only (SQLite serialises every
writer on the whole database, which proves nothing here)."""

import threading

import pytest
from django.db import connection, connections

from tests.world import make_algorithm, make_user
from tracker.audit.models import AuditChainHead
from tracker.audit.trail import record
from tracker.audit.verify import verify_chain

PER_THREAD = 25


@pytest.mark.django_db(transaction=True)
def test_two_threads_recording_keep_one_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL to a postgres:// URL)")
    algorithm = make_algorithm()
    users = [make_user(), make_user()]
    assert not AuditChainHead.objects.exists()  # both threads race to create the head too
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(user) -> None:
        try:
            start.wait(timeout=10)
            for i in range(PER_THREAD):
                record(
                    actor=user,
                    obj=algorithm,
                    action="updated",
                    changes={"description": [str(i), str(i + 1)]},
                    algorithm=algorithm,
                )
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == 2 * PER_THREAD
    assert AuditChainHead.objects.get().last_seq == 2 * PER_THREAD
