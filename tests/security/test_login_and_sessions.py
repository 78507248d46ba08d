"""Login throttling (django-axes), private caching of logged-in pages, session lifetime."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.world import PASSWORD, make_user


@pytest.fixture
def user(db):
    return make_user("anna")


def _login(client, password: str, username: str = "anna", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_repeated_failures_lock_the_user_out_even_with_the_right_password(client, user) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    response = _login(client, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in page
    assert "over 15 minuten opnieuw" in page
    # Locked: the right password no longer logs in either.
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_and_address(client, user) -> None:
    make_user("bert")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    assert _login(client, PASSWORD, username="bert").status_code == 302
    # Another address may still log in as anna.
    client.logout()
    response = _login(client, PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302


def test_a_success_resets_the_failure_count(client, user) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302


def test_logged_in_pages_are_private_and_not_stored(client, user) -> None:
    client.force_login(user)
    response = client.get(reverse("algorithms:list"))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    client.logout()  # anonymous responses (here the redirect to the login) are left alone
    assert client.get(reverse("algorithms:list")).get("Cache-Control") is None


def test_the_session_ends_with_the_browser_and_after_its_lifetime(client, user) -> None:
    assert _login(client, PASSWORD).status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["max-age"] == ""
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600
