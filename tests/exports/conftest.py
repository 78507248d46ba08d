import pytest

from tests.world import make_dossier_world


@pytest.fixture
def dossier_world(db):
    return make_dossier_world()


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never write test dossiers into the developer's var/ folder."""
    settings.EXPORT_ROOT = tmp_path_factory.mktemp("exports")
