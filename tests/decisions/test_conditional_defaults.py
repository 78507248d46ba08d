"""A conditional go that fits real work: 62 open blockers covered in one submit with the
defaults (every blocker preselected, one owner and one due date for all), a row that
overrides them, a blocker left out is refused and told in the summary at the top."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.gates.helpers import add_items, make_ready_world
from tracker.decisions.models import Decision, DecisionCondition
from tracker.gates.readiness import go_live_readiness

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def gate():
    world = make_ready_world()
    add_items(world.algorithm, 62, world.contributor)  # 31 open items without owner
    assert len(go_live_readiness(world.algorithm).blockers) == 62
    return world


def form_data(html: str) -> dict:
    """What the browser sends when the approver only picks the outcome, writes the
    rationale and sets the defaults: every field as the page renders it."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name in re.findall(
        r'<input type="checkbox" name="(voorwaarde-\d+-chosen)"[^>]*checked', html
    ):
        data[name] = "on"
    return data


def test_62_blockers_in_one_submit_with_the_defaults(client, gate):
    client.force_login(gate.approver)
    page = client.get(reverse("gates:go_live", args=[gate.algorithm.slug])).content.decode()
    data = form_data(page)
    assert data["voorwaarde-TOTAL_FORMS"] == "62"
    assert sum(1 for name in data if name.endswith("-chosen")) == 62  # all preselected
    data.update(
        {
            "outcome": "conditional",
            "rationale": "Live onder voorwaarden; het team lost de punten binnen een maand op.",
            "alle-owner": str(gate.contributor.pk),
            "alle-due_date": DUE.isoformat(),
            "voorwaarde-5-owner": str(gate.owner.pk),  # one row adjusted
        }
    )
    response = client.post(reverse("decisions:record", args=[gate.algorithm.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert decision.outcome == "conditional"
    conditions = list(DecisionCondition.objects.filter(decision=decision).order_by("pk"))
    assert len(conditions) == 62
    assert {c.due_date for c in conditions} == {DUE}
    assert sum(1 for c in conditions if c.owner_id == gate.owner.pk) == 1
    assert all(c.description.startswith("Oplossen: ") for c in conditions)
    assert all(c.blocker_label for c in conditions)


def test_a_blocker_left_out_is_refused_and_summarised_at_the_top(client, gate):
    client.force_login(gate.approver)
    url = reverse("gates:go_live", args=[gate.algorithm.slug])
    data = form_data(client.get(url).content.decode())
    del data["voorwaarde-0-chosen"]
    data.update(
        {
            "outcome": "conditional",
            "rationale": "Onder voorwaarden.",
            "alle-owner": str(gate.contributor.pk),
            "alle-due_date": DUE.isoformat(),
        }
    )
    response = client.post(reverse("decisions:record", args=[gate.algorithm.slug]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.index('id="foutsamenvatting"') < html.index(
        '<h2 class="utrecht-heading-2" id="stand-heading"'
    )
    assert "elke open blokkade als voorwaarde opnemen" in html
    assert not Decision.objects.exists()
    # the other rows keep what was chosen; the one left out stays unchosen
    assert len(re.findall(r'name="voorwaarde-\d+-chosen"[^>]*checked', html)) == 61


def test_missing_defaults_are_one_error_each_not_one_per_row(client, gate):
    client.force_login(gate.approver)
    url = reverse("gates:go_live", args=[gate.algorithm.slug])
    data = form_data(client.get(url).content.decode())
    data.update({"outcome": "conditional", "rationale": "Onder voorwaarden."})
    response = client.post(reverse("decisions:record", args=[gate.algorithm.slug]), data)
    assert response.status_code == 422
    summary = response.context["summary"]
    assert [anchor for anchor, _ in summary] == ["#id_alle-owner", "#id_alle-due_date"]
    assert "Kies een eigenaar voor alle voorwaarden" in summary[0][1]
