"""The algorithm pages x every kind of user, in the shape of the app's authorization matrix.

These rows belong in tests/test_authorization_matrix.py's MATRIX; until they are there,
this test checks them against the views.
"""

import pytest
from django.urls import reverse

import tests.test_authorization_matrix as matrix
from tests.world import World, make_world

Row = matrix.Row


def slug(w: World) -> list:
    return [w.algorithm.slug]


def slug_viewer_membership(w: World) -> list:
    return [w.algorithm.slug, w.algorithm.memberships.get(user=w.viewer).pk]


ROWS: dict[str, Row] = {
    "algorithms:list": Row("get", matrix.LOGGED_IN),
    "algorithms:create": Row("get", matrix.LOGGED_IN),
    "algorithms:detail": Row("get", matrix.READERS, slug),
    "algorithms:not_applicable": Row("get", matrix.READERS, slug),
    "algorithms:members": Row("get", matrix.READERS, slug),
    "algorithms:edit": Row("get", matrix.MANAGERS, slug),
    "algorithms:profile": Row("get", matrix.MANAGERS, slug),
    "algorithms:member_add": Row(
        "post", matrix.MANAGERS, slug, lambda w: {"username": "outsider", "role": "viewer"}
    ),
    "algorithms:member_role": Row(
        "post", matrix.MANAGERS, slug_viewer_membership, lambda w: {"role": "viewer"}
    ),
    "algorithms:member_remove": Row("post", matrix.MANAGERS, slug_viewer_membership),
}
CASES = [(name, user) for name in sorted(ROWS) for user in matrix.USERS]


def test_every_algorithms_url_has_a_row() -> None:
    names = {name for name in matrix.app_url_names() if name.startswith("algorithms:")}
    assert names == set(ROWS)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "user"), CASES, ids=[f"{n}-{u}" for n, u in CASES])
def test_access(client, name: str, user: str) -> None:
    world = make_world()
    row = ROWS[name]
    if user != "anonymous":
        client.force_login(world.users[user])
    url = reverse(name, args=row.args(world))
    response = getattr(client, row.method)(url, row.data(world))
    assert matrix.outcome(response, reverse("login")) == row.expect[user], (
        f"{row.method.upper()} {url} as {user}: got {response.status_code}"
    )
