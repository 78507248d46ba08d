"""The pilot page: what it shows, for whom, in a fixed number of queries; and the
link from the algorithm page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pilots.helpers import make_pilot
from tracker.algorithms.actions import PROFILE_FIELDS
from tracker.checklist.profile import change_profile
from tracker.decisions.models import Decision
from tracker.pilots.decision import record_pilot_decision

pytestmark = pytest.mark.django_db


def detail_url(world) -> str:
    return reverse("pilots:detail", args=[world.algorithm.slug])


def test_page_shows_scope_basis_users_agreements_criteria_and_evaluation(world, login):
    make_pilot(world, criteria=2, evaluated=True, other_limit="Alleen wijk Noord")
    html = login(world.viewer).get(detail_url(world)).content.decode()
    for text in (
        "5 januari 2026",
        "27 maart 2026",
        "Maximaal 300 zaken",
        "Alleen wijk Noord",
        "Afdeling Vergunningen",
        "Wettelijke taak (art. 6 lid 1 sub e AVG)",
        "https://intranet.example/dpia-42",
        "Acht behandelaars",
        "afwijkingen worden wekelijks besproken",
        "Criterium 2",
        "Maatstaf 2",
        "&lt;= 20",
        "Goed bruikbaar",
    ):
        assert text in html, text
    # a viewer sees no edit links and no decision form
    assert reverse("pilots:edit", args=[world.algorithm.slug]) not in html
    assert reverse("pilots:decide", args=[world.algorithm.slug]) not in html


def test_controls_follow_the_role(world, login):
    make_pilot(world, evaluated=True)
    contributor = login(world.contributor).get(detail_url(world)).content.decode()
    assert reverse("pilots:evaluate", args=[world.algorithm.slug]) in contributor
    assert reverse("pilots:decide", args=[world.algorithm.slug]) not in contributor
    approver = login(world.approver).get(detail_url(world)).content.decode()
    assert reverse("pilots:decide", args=[world.algorithm.slug]) in approver
    assert "Pilotbesluit vastleggen" in approver


def test_no_decision_form_before_the_evaluation(world, login):
    make_pilot(world)
    html = login(world.approver).get(detail_url(world)).content.decode()
    assert "Pilotbesluit vastleggen" not in html
    assert "zodra de pilot is geëvalueerd" in html


def test_empty_page_offers_to_record_a_pilot(world, login):
    html = login(world.contributor).get(detail_url(world)).content.decode()
    assert 'id="geen-pilot"' in html
    assert "Nieuwe pilot vastleggen" in html


def _decide_and_reopen(world, outcome="develop") -> None:
    record_pilot_decision(world.algorithm, world.approver, outcome, "Nog niet goed genoeg")
    world.algorithm.refresh_from_db()
    values = {name: getattr(world.algorithm, name) for name in PROFILE_FIELDS}
    change_profile(
        world.algorithm,
        actor=world.owner,
        version=world.algorithm.version,
        values={**values, "phase": "implementatie", "stage": "pilot"},
        profile=world.algorithm.profile(),
    )
    world.algorithm.refresh_from_db()


def test_query_count_does_not_grow_with_pilots(world, login):
    client = login(world.viewer)
    make_pilot(world, criteria=1, evaluated=True)
    _decide_and_reopen(world)
    make_pilot(world, criteria=2, evaluated=True)
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail_url(world)).status_code == 200
    for _ in range(3):
        _decide_and_reopen(world)
        make_pilot(world, criteria=3, evaluated=True)
    assert world.algorithm.pilots.count() == 5
    with CaptureQueriesContext(connection) as many:
        html = client.get(detail_url(world)).content.decode()
    assert len(many) == len(few)
    assert html.count("Verder ontwikkelen") == 4
    assert Decision.objects.filter(algorithm=world.algorithm).current().count() == 1


def test_algorithm_page_links_the_pilot_in_implementatie_only(world, login):
    client = login(world.viewer)
    url = reverse("algorithms:detail", args=[world.algorithm.slug])
    assert detail_url(world) in client.get(url).content.decode()
    world.algorithm.phase, world.algorithm.stage = "ontwerp", ""
    world.algorithm.save(update_fields=["phase", "stage"])
    assert detail_url(world) not in client.get(url).content.decode()
