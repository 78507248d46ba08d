"""The portfolio's table rows are kept rendered (PortfolioRow.cache_key, the fragments
cache). After every kind of change a row shows, the page from kept rows is the page
rendered from scratch, and it shows the change."""

import datetime
import re
from dataclasses import replace

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.urls import reverse

from tests.gates.helpers import make_ready_world
from tests.world import make_checklist_item, make_release, make_user
from tracker.algorithms.models import Algorithm
from tracker.checklist.actions import update_item
from tracker.dashboards.figures import refresh
from tracker.decisions.actions import record_go_live_decision
from tracker.organisations.models import Organisation, OrganisationMembership
from tracker.risks.actions import add_risk

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:portfolio")
PER_REQUEST = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|"X-CSRFToken": "[^"]+"'
)


@pytest.fixture
def kept():
    fragments = caches["fragments"]
    fragments.clear()
    yield fragments
    fragments.clear()


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return PER_REQUEST.sub("", response.content.decode())


def _same_as_from_scratch(client, kept) -> str:
    """The first view after a change keeps the changed rows, the second shows them from
    there; both equal the page rendered with nothing kept."""
    first = _page(client)
    assert kept._cache  # the rows were kept
    again = _page(client)
    kept.clear()
    assert _page(client) == again == first
    return again


def test_kept_rows_equal_a_fresh_rendering_after_every_change_a_row_shows(client, kept):
    gate = make_ready_world()
    algorithm, owner, approver = gate.algorithm, gate.contributor, gate.approver
    extra = make_checklist_item(algorithm)
    refresh([algorithm.pk])  # the builders write behind the actions' back
    manager = make_user("portefeuille")
    OrganisationMembership.objects.create(
        organisation=algorithm.organisation, user=manager, is_portfolio_viewer=True
    )
    client.force_login(manager)
    before = _same_as_from_scratch(client, kept)

    def changed(write) -> None:
        nonlocal before
        write()
        after = _same_as_from_scratch(client, kept)
        assert after != before
        before = after

    extra.refresh_from_db()
    changed(lambda: update_item(extra, owner, expected_version=extra.version, owner=owner))
    changed(lambda: add_risk(extra, owner, description="Restrisico", likelihood=4, impact=5))
    changed(lambda: record_go_live_decision(algorithm, approver, "no_go", "Nog niet."))
    changed(lambda: Algorithm.objects.filter(pk=algorithm.pk).update(name="Hernoemd"))
    changed(
        lambda: Organisation.objects.filter(pk=algorithm.organisation_id).update(
            name="Andere organisatie"
        )
    )
    newer = make_release("v9.9")  # a newer release: "nieuwere release" in the row
    changed(lambda: type(newer).objects.filter(pk=newer.pk).update(version_key="9999"))
    assert "nieuwere release: v9.9" in before


def test_a_row_is_kept_and_shown_from_there(client, kept):
    gate = make_ready_world()
    refresh([gate.algorithm.pk])
    client.force_login(gate.owner)
    [row] = client.get(URL).context["rows"]
    key = make_template_fragment_key("portfolio_row", [row.cache_key])
    assert gate.algorithm.name in kept.get(key)
    kept.set(key, "<tr><td>uit de cache</td></tr>", None)
    assert "uit de cache" in _page(client)


def test_the_key_follows_the_date_and_every_figure(client, kept):
    gate = make_ready_world()
    refresh([gate.algorithm.pk])
    client.force_login(gate.owner)
    [row] = client.get(URL).context["rows"]
    keys = {
        row.cache_key,
        replace(row, today=row.today + datetime.timedelta(days=1)).cache_key,
        replace(row, unaccepted_risks=row.unaccepted_risks + 1).cache_key,
        replace(row, register_changed=("Naam",)).cache_key,
        replace(row, pilot_decided=not row.pilot_decided).cache_key,
    }
    assert len(keys) == 5
    assert replace(row).cache_key == row.cache_key
