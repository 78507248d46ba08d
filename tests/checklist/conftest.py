import pytest

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
