import pytest

from tests.checklist.upgrade_helpers import make_upgraded_world
from tests.world import World, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def client_for(client):
    """A logged-in test client for one user of the world (the shared client)."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def upgraded_world(db):
    """(GateWorld, newer release): see tests/checklist/upgrade_helpers.py."""
    return make_upgraded_world()
