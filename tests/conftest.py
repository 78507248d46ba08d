"""Shared test configuration: fast hashing and access to the real content releases."""

from pathlib import Path

import pytest

SHARED_CONTENT = Path(__file__).resolve().parents[2] / "shared" / "algoritmekader"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests never wait for a worker process, whatever TASKS_BACKEND the shell exports.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Builders write without the audit trail, whose head versions the figure cache: tests
    # compute the figures every time, except those of the cache itself
    # (tests/dashboards/test_figure_cache.py), which write through the real actions.
    settings.CACHES = {
        **settings.CACHES,
        "figures": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def release_dir(label: str) -> Path:
    """The folder of a real Algoritmekader release, or skip with the reason."""
    folder = SHARED_CONTENT / label
    if not (folder / "docs").is_dir():
        pytest.skip(f"real Algoritmekader content not found at {folder} (needs ../shared/)")
    return folder


@pytest.fixture
def v251() -> Path:
    return release_dir("v2.5.1")


@pytest.fixture
def v20() -> Path:
    return release_dir("v2.0")


@pytest.fixture
def v251_archive() -> Path:
    """The real upstream release archive of v2.5.1, as GitHub packs it."""
    archive = SHARED_CONTENT / "archives" / "Algoritmekader-2.5.1.tar.gz"
    if not archive.is_file():
        pytest.skip(f"real Algoritmekader archive not found at {archive} (needs ../shared/)")
    return archive


@pytest.fixture(autouse=True)
def _private_uploads(settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never write test uploads or dossiers into the developer's var/ folder."""
    settings.UPLOAD_ROOT = tmp_path_factory.mktemp("uploads")
    settings.DOSSIER_ROOT = tmp_path_factory.mktemp("dossiers")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, no autovacuum in the test database (which this run created).

    Every test rolls its rows back, so autovacuum would find the tables empty and record
    that (``reltuples = 0`` over many pages); a later test that writes thousands of rows
    in its one transaction (the demo story, the real release's journey) would then be
    planned for empty tables: nested loops over every row, minutes instead of seconds.
    (An ANALYZE in a test's transaction did just that: see bench_dashboards._analyze.)
    Never analysed, the planner estimates from the tables' real size, as on a fresh
    installation."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(
                f'ALTER TABLE "{table}" SET '
                "(autovacuum_enabled = false, toast.autovacuum_enabled = false)"
            )
