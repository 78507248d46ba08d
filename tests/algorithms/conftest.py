import pytest
from django.test import Client

from tests.algorithms.helpers import make_catalog
from tests.world import make_world


@pytest.fixture
def world(db):
    """The shared world, its algorithm following the small test catalog (pilot stage)."""
    world = make_world()
    world.catalog = make_catalog()
    world.algorithm.release = world.catalog.release
    world.algorithm.save(update_fields=["release"])
    return world


@pytest.fixture
def login():
    def client_for(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return client_for
