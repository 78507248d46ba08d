import pytest
from django.test import Client

from tests.pilots.helpers import make_pilot_world


@pytest.fixture
def world(db):
    return make_pilot_world()


@pytest.fixture
def login():
    def client_for(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return client_for
