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
