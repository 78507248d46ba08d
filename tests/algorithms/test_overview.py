"""The algorithm's overview: lifecycle, readiness with the gate's own figures, the top
blockers and this user's next steps; and the grouped tabs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.gates.helpers import add_items, make_ready_world
from tests.world import make_checklist_item, make_decision, make_world
from tracker.algorithms.models import Algorithm
from tracker.checklist.models import ChecklistItem
from tracker.templatetags.algorithm_nav import tabs

pytestmark = pytest.mark.django_db


def detail(client, algorithm) -> str:
    response = client.get(reverse("algorithms:detail", args=[algorithm.slug]))
    assert response.status_code == 200
    return response.text


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def figures(page: str, within: str = "") -> dict[str, int]:
    text = section(page, within) if within else page
    return {key: int(n) for key, n in re.findall(r'data-figure="([^"]+)">(\d+)<', text)}


def test_next_steps_heading_and_pilot_step(client):
    world = make_world()  # implementatie, stap pilot, no pilot yet
    client.force_login(world.contributor)
    page = detail(client, world.algorithm)
    steps = section(page, "volgende-stappen")
    assert "<h2" in page[page.index('id="volgende-stappen"') - 40 :][:60]
    assert ">Volgende stappen</h2>" in page
    assert f'href="{reverse("pilots:edit", args=[world.algorithm.slug])}"' in steps
    assert ">Pilot vastleggen</a>" in steps


def test_lifecycle_marks_the_current_stage_in_text(client):
    world = make_world()
    client.force_login(world.viewer)
    page = detail(client, world.algorithm)
    [current] = re.findall(r'<li[^>]*aria-current="step"[^>]*>', page)
    assert 'data-step="implementatie:pilot"' in current
    stepper = page[page.index('aria-label="Levenscyclus"') :]
    hidden = '</span>\n        <span class="app-visually-hidden">'
    assert f"Implementatie: pilot{hidden}(huidige stap)" in stepper
    assert f"Ontwikkelen{hidden}(afgerond)" in stepper
    assert f"Uitfaseren{hidden}(nog te doen)" in stepper


def test_waiting_names_the_approver(client):
    world = make_ready_world()  # production, no blockers
    world.approver.first_name, world.approver.last_name = "Anna", "Akkoord"
    world.approver.save()
    client.force_login(world.contributor)
    steps = section(detail(client, world.algorithm), "volgende-stappen")
    assert "Wacht op besluit van een accordeerder (Anna Akkoord)" in steps
    client.force_login(world.approver)
    steps = section(detail(client, world.algorithm), "volgende-stappen")
    assert ">Go-livebesluit nemen</a>" in steps
    assert reverse("gates:go_live", args=[world.algorithm.slug]) + "#besluit-vastleggen" in steps


def test_readiness_figures_are_the_gate_pages(client):
    gate = make_ready_world()
    add_items(gate.algorithm, 14, gate.contributor)  # 7 blocking measures
    ChecklistItem.objects.filter(pk=gate.requirement.pk).update(status="open")
    client.force_login(gate.owner)
    overview = detail(client, gate.algorithm)
    gate_page = client.get(reverse("gates:go_live", args=[gate.algorithm.slug])).text
    on_gate = {key: n for key, n in figures(gate_page).items() if n}
    assert figures(overview, "gereedheid-heading") == on_gate
    total = sum(on_gate.values())
    assert f'data-blockers="{total}"' in overview
    assert f"{total} blokkades voor go-live" in gate_page
    # The top blockers: at most five, each a link to its item.
    blockers = overview[overview.index('id="top-blokkades"') :]
    blockers = blockers[: blockers.index("</ul>")]
    links = re.findall(r'href="([^"]+)"', blockers)
    assert len(links) == 5
    assert all(f"/algoritmes/{gate.algorithm.slug}/checklist/" in link for link in links)
    assert f"Alle {total} bekijken" in overview
    assert f"{total} blokkades voor go-live oplossen" in section(overview, "volgende-stappen")


def test_the_ready_figure_is_progress(client):
    world = make_world()
    make_checklist_item(world.algorithm, status="done")
    client.force_login(world.viewer)
    assert "50% gereed (1 van 2)" in section(detail(client, world.algorithm), "gereedheid-heading")


def test_all_done_says_so_and_names_what_comes_next(client):
    world = make_world()
    world.algorithm.phase, world.algorithm.stage = "monitoring-en-beheer", ""
    world.algorithm.save()
    ChecklistItem.objects.filter(pk=world.item.pk).update(status="done")
    client.force_login(world.contributor)
    steps = section(detail(client, world.algorithm), "volgende-stappen")
    assert "Alles is gedaan voor deze fase." in steps
    assert "de volgende fase is Uitfaseren" in steps


def test_after_a_no_go_the_approver_decides_again(client):
    gate = make_ready_world()
    make_decision(gate.algorithm, gate.approver, "no_go")
    client.force_login(gate.approver)
    assert ">Go-livebesluit nemen</a>" in section(
        detail(client, gate.algorithm), "volgende-stappen"
    )


def test_overdue_items_are_a_step(client):
    import datetime

    world = make_world()
    world.algorithm.phase, world.algorithm.stage = "ontwikkelen", ""
    world.algorithm.save()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    for _ in range(3):
        make_checklist_item(world.algorithm, due_date=yesterday)
    client.force_login(world.contributor)
    page = detail(client, world.algorithm)
    steps = section(page, "volgende-stappen")
    assert ">3 items te laat</a>" in steps
    assert "?overdue=on" in steps


def test_query_count_does_not_grow_with_the_checklist(client):
    gate = make_ready_world()
    client.force_login(gate.approver)
    counts = []
    for extra in (4, 80):
        add_items(gate.algorithm, extra, gate.contributor)
        with CaptureQueriesContext(connection) as queries:
            detail(client, gate.algorithm)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- tabs ------------------------------------------------------------------------------

FORMER = (
    "algorithms:detail",
    "algorithm_dashboard:detail",
    "checklist:list",
    "pilots:detail",
    "gates:go_live",
    "register:entry",
    "decisions:list",
    "algorithms:not_applicable",
    "algorithms:members",
    "audit:algorithm",
    "algorithms:edit",
    "algorithms:profile",
    "decision_aid:algorithm_start",
)


def _nav(page: str) -> str:
    start = page.index('<nav class="app-subnav"')
    return page[start : page.index("</nav>", start)]


def test_tabs_at_most_six_and_every_destination_reachable(client):
    world = make_world()
    client.force_login(world.owner)
    nav = _nav(detail(client, world.algorithm))
    top = nav[: nav.index('class="app-subnav__panel"')]
    top_level = re.findall(r'<li class="utrecht-nav-list__item', nav)
    assert len(top_level) <= 6
    assert "<details>" in top
    assert "<summary" in top
    hrefs = set(re.findall(r'href="([^"]+)"', nav))
    for name in FORMER:
        assert reverse(name, args=[world.algorithm.slug]) in hrefs, name


def test_current_tab_is_marked_also_inside_more(client):
    world = make_world()
    client.force_login(world.owner)
    page = client.get(reverse("algorithms:members", args=[world.algorithm.slug])).text
    nav = _nav(page)
    members = reverse("algorithms:members", args=[world.algorithm.slug])
    assert f'href="{members}" aria-current="page"' in nav
    assert "Meer: Leden" in nav
    assert nav.count('aria-current="page"') == 1


def test_no_duplicate_verder_list(client):
    world = make_world()
    client.force_login(world.owner)
    assert ">Verder</h2>" not in detail(client, world.algorithm)


def test_manage_tabs_only_for_owners():
    world = make_world()
    from tracker.access import access_for

    for role in ("viewer", "contributor", "approver", "owner"):
        access = access_for(world.users[role], world.algorithm)
        nav = tabs(world.algorithm, access, "algorithms:detail")
        labels = [tab.label for tab in nav.top + nav.more]
        assert ("Fase en profiel" in labels) == (role == "owner")
        assert len(nav.top) + 1 <= 6


def test_pilot_and_gate_tabs_only_in_implementation():
    world = make_world()
    world.algorithm.phase, world.algorithm.stage = "ontwerp", Algorithm.Stage.NONE
    world.algorithm.save()
    from tracker.access import access_for

    nav = tabs(world.algorithm, access_for(world.owner, world.algorithm), "")
    assert [tab.label for tab in nav.top] == ["Overzicht", "Checklist", "Dashboard"]


# --- the status and the next gate's blockers are the portfolio's ------------------------


def test_development_shows_the_portfolios_status_and_next_gate_blockers(client):
    from tracker.dashboards.figures import algorithm_status

    world = make_world()
    world.algorithm.phase, world.algorithm.stage = "ontwikkelen", Algorithm.Stage.NONE
    world.algorithm.save()
    for _ in range(7):
        make_checklist_item(world.algorithm)  # open, no owner: blockers of the work
    status = algorithm_status(world.algorithm)
    assert status.label == "In ontwikkeling"
    assert status.blockers > 5
    client.force_login(world.viewer)
    page = detail(client, world.algorithm)
    assert f"<strong>In ontwikkeling</strong>: {status.reason}" in page
    assert f'id="next-gate" data-blockers="{status.blockers}"' in page
    assert f"Pilotbesluit: {status.blockers} blokkades" in page
    assert sum(figures(page, "gereedheid-heading").values()) == status.blockers
    assert f"Alle {status.blockers} bekijken" in page
    assert "Blokkades voor het pilotbesluit" in page


def test_production_status_is_the_portfolios_and_the_gates(client):
    from tracker.dashboards.figures import algorithm_status

    gate = make_ready_world()
    add_items(gate.algorithm, 4, gate.contributor)
    status = algorithm_status(gate.algorithm)
    assert status.label == "Geblokkeerd"
    client.force_login(gate.viewer)
    page = detail(client, gate.algorithm)
    assert f"<strong>Geblokkeerd</strong>: {status.reason}" in page
    assert f'data-blockers="{status.blockers}"' in page
    assert "Blokkades voor het go-livebesluit" in page


def test_in_the_pilot_the_go_live_figures_are_not_shown_as_its_blockers(client):
    world = make_world()  # stap pilot, no pilot
    client.force_login(world.viewer)
    page = detail(client, world.algorithm)
    assert figures(page, "gereedheid-heading") == {}
    assert "Pilotbesluit: 1 blokkade" in page
    assert "Geen lopende pilot vastgelegd" in section(page, "gereedheid-heading")
