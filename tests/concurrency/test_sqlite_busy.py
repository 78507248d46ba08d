"""SQLite as a team's default: WAL, immediate transactions, a busy timeout, and a 503
"probeer het opnieuw" (never a 500) for a write that still cannot get the database."""

import sqlite3
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

from tests.world import make_world
from tracker.busy import is_busy_error
from tracker.checklist.models import ChecklistItem

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite settings; PostgreSQL has row locks"
)


def file_connection(path) -> DatabaseWrapper:
    """A fresh connection with the project's SQLite settings, on a file database."""
    return DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="busy")


@sqlite_only
def test_the_embedded_default_uses_wal_immediate_transactions_and_a_busy_timeout(db, tmp_path):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    wrapper = file_connection(tmp_path / "team.sqlite3")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == options["timeout"] * 1000
    finally:
        wrapper.close()


@sqlite_only
def test_a_writer_that_cannot_get_the_lock_raises_an_error_recognised_as_busy(db, tmp_path):
    path = tmp_path / "team.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x integer)")
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    wrapper = file_connection(path)
    wrapper.settings_dict["OPTIONS"] = {**wrapper.settings_dict["OPTIONS"], "timeout": 0.2}
    try:
        wrapper.ensure_connection()
        wrapper.set_autocommit(False)  # as inside atomic(): BEGIN IMMEDIATE, then wait
        cursor = wrapper.cursor()
        with pytest.raises(OperationalError) as raised:
            cursor.execute("INSERT INTO t VALUES (1)")
        assert is_busy_error(raised.value)
    finally:
        wrapper.close()
        holder.close()


def test_is_busy_error_knows_postgresql_lock_timeouts_and_deadlocks():
    class Cause(Exception):
        sqlstate = "55P03"

    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = Cause()
    assert is_busy_error(error)
    assert not is_busy_error(OperationalError("no such table: x"))
    assert not is_busy_error(ValueError("database is locked"))


@pytest.fixture
def busy_world(db):
    world = make_world()
    url = reverse("checklist:update", args=[world.algorithm.slug, world.item.pk])
    data = {
        "version": world.item.version,
        "status": ChecklistItem.Status.IN_PROGRESS,
        "owner": "",
        "due_date": "",
        "justification": "",
    }
    return world, url, data


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_a_save_refused_by_a_busy_database_answers_503_in_dutch(client, busy_world):
    world, url, data = busy_world
    client.force_login(world.contributor)
    with mock.patch("tracker.checklist.actions.update_item", side_effect=locked):
        response = client.post(url, data)
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "Probeer het over een paar seconden opnieuw" in body
    assert "<html" in body  # the app's own page, not Django's
    world.item.refresh_from_db()
    assert world.item.status != ChecklistItem.Status.IN_PROGRESS


def test_an_htmx_save_refused_by_a_busy_database_gets_only_the_message(client, busy_world):
    world, url, data = busy_world
    client.force_login(world.contributor)
    with mock.patch("tracker.checklist.actions.update_item", side_effect=locked):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 503
    body = response.content.decode()
    assert "opnieuw" in body
    assert "<html" not in body
    assert 'role="alert"' in body


def test_other_database_errors_are_not_hidden(client, busy_world):
    world, url, data = busy_world
    client.force_login(world.contributor)
    client.raise_request_exception = True
    broken = mock.Mock(side_effect=OperationalError("no such column: x"))
    with (
        mock.patch("tracker.checklist.actions.update_item", broken),
        pytest.raises(OperationalError),
    ):
        client.post(url, data)
