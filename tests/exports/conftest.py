import pytest

from tests.world_dossier import make_dossier_world

IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"


@pytest.fixture
def dossier_world(db):
    return make_dossier_world()


@pytest.fixture(autouse=True)
def _tasks_in_the_request(settings) -> None:
    """Tasks run at once, whatever TASKS_BACKEND the shell has; a test that needs the
    database queue and its worker sets TASKS itself."""
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE}}
