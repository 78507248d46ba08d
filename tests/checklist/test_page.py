"""The checklist page: filters, grouping, retired items, and a fixed query count."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.world import make_catalog_item, make_checklist_item, make_release
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.evidence.models import Evidence
from tracker.risks.models import ResidualRisk

Kind = CatalogItem.Kind
Status = ChecklistItem.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, world, query=""):
    response = client.get(reverse("checklist:list", args=[world.algorithm.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr class="utrecht-table__row" id="rij-(\d+)">', html)]


def groups(html: str) -> list[tuple[str, list[int]]]:
    """(heading text, row ids) per group section, in page order."""
    result = []
    for section in html.split('<section class="app-section" aria-labelledby="groep-')[1:]:
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", section, re.S)[1]
        title = re.sub(r"<[^>]+>", "", heading).split("(")[0].strip()
        result.append((title, row_ids(section)))
    return result


def add(world, kind=Kind.MEASURE, code=None, topics=("governance",), links=(), **fields):
    catalog_item = make_catalog_item(world.algorithm.release, kind=kind, code=code, topics=topics)
    catalog_item.links.add(*(link.catalog_item for link in links))
    return make_checklist_item(world.algorithm, catalog_item, **fields)


# -- filters ----------------------------------------------------------------------------


@pytest.fixture
def mixed(world):
    today = timezone.localdate()
    items = {
        "open": world.item,
        "done": add(world, status=Status.DONE, owner=world.contributor),
        "late": add(
            world, status=Status.IN_PROGRESS, due_date=today - timedelta(days=2), owner=world.owner
        ),
        "req": add(world, kind=Kind.REQUIREMENT, code="avg-01"),
        "crit": add(world, kind=Kind.CRITERION, code="gl-01"),
        "retired": add(world, retired_at=timezone.now(), retired_reason="Fase gewijzigd"),
    }
    ChecklistItem.objects.filter(pk=items["req"].pk).update(status=Status.IN_PROGRESS)
    return items


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"open", "done", "late", "req", "crit"}),
        ("?status=done", {"done"}),
        ("?status=in_progress", {"late", "req"}),
        ("?owner=geen", {"open", "req", "crit"}),
        ("?overdue=on", {"late"}),
        ("?type=vereiste", {"req"}),
        ("?type=maatregel", {"open", "done", "late"}),
        ("?type=criterium", {"crit"}),
        ("?q=avg-01", {"req"}),
        ("?type=maatregel&status=in_progress", {"late"}),
        # Bad values are ignored (the form shows its error), never a 500.
        ("?status=kapot&owner=999999&type=x&group=y", {"open", "done", "late", "req", "crit"}),
    ],
)
def test_filters(client_for, world, mixed, query, expected):
    html = page(client_for(world.viewer), world, query)
    assert set(row_ids(html)) == {mixed[name].pk for name in expected}


def test_owner_filter_by_member(client_for, world, mixed):
    html = page(client_for(world.viewer), world, f"?owner={world.contributor.pk}")
    assert row_ids(html) == [mixed["done"].pk]


def test_retired_items_are_not_listed_but_linked(client_for, world, mixed):
    html = page(client_for(world.viewer), world)
    assert mixed["retired"].pk not in row_ids(html)
    not_applicable = reverse("algorithms:not_applicable", args=[world.algorithm.slug])
    assert f'href="{not_applicable}"' in html


def test_progress_figures_on_the_page(client_for, world, mixed):
    html = page(client_for(world.viewer), world)
    figures = dict(re.findall(r'data-figure="(\w+)">(\d+)<', html))
    assert figures == {
        "total": "5",
        "done": "1",
        "not_applicable": "0",
        "open": "2",
        "in_progress": "2",
        "overdue": "1",
    }
    assert "Voortgang: 20% gereed" in html


def test_overdue_rows_are_marked(client_for, world, mixed):
    html = page(client_for(world.viewer), world)
    late_row = html.split(f'id="rij-{mixed["late"].pk}"')[1].split("</tr>")[0]
    assert "Te laat" in late_row
    open_row = html.split(f'id="rij-{mixed["open"].pk}"')[1].split("</tr>")[0]
    assert "Te laat" not in open_row


def test_htmx_filter_returns_only_the_results(client_for, world, mixed):
    response = client_for(world.viewer).get(
        reverse("checklist:list", args=[world.algorithm.slug]) + "?status=done", **HTMX
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Filters toepassen" not in body
    assert row_ids(body) == [mixed["done"].pk]


def test_counts_of_evidence_and_open_risks(client_for, world):
    item = world.item
    today = timezone.localdate()
    for title in ("a", "b"):
        Evidence.objects.create(item=item, kind="note", title=title, added_by=world.contributor)
    Evidence.objects.create(
        item=item,
        kind="note",
        title="ingetrokken",
        added_by=world.contributor,
        withdrawn_at=timezone.now(),
    )

    def risk(**fields):
        ResidualRisk.objects.create(
            item=item, description="r", likelihood=2, impact=3, created_by=world.owner, **fields
        )

    risk()  # never accepted: open
    risk(accepted_at=timezone.now(), accepted_by=world.approver)  # accepted
    risk(  # acceptance expired: open again
        accepted_at=timezone.now(),
        accepted_by=world.approver,
        acceptance_expires=today - timedelta(days=1),
    )
    html = page(client_for(world.viewer), world)
    row = html.split(f'id="rij-{item.pk}"')[1].split("</tr>")[0]
    assert 'data-count="evidence">2<' in row
    assert 'data-count="risks">2<' in row


# -- grouping ---------------------------------------------------------------------------


def test_grouped_by_first_topic_each_item_once(client_for, world):
    privacy_first = add(world, topics=("privacy", "transparantie"))
    no_topic = add(world, topics=())
    html = page(client_for(world.viewer), world)
    found = groups(html)
    assert found == [
        ("Governance", [world.item.pk]),
        ("Privacy", [privacy_first.pk]),
        ("Zonder onderwerp", [no_topic.pk]),
    ]
    row = html.split(f'id="rij-{privacy_first.pk}"')[1].split("</tr>")[0]
    assert "Ook bij: Transparantie" in row


def test_in_a_group_vereisten_come_first_then_maatregelen_then_criteria_by_code(client_for, world):
    criterion = add(world, kind=Kind.CRITERION, code="aaa-01")
    measure_b = add(world, code="kkk-02")
    measure_a = add(world, code="kkk-01")
    requirement = add(world, kind=Kind.REQUIREMENT, code="zzz-01")
    html = page(client_for(world.viewer), world)
    ((title, rows),) = groups(html)
    assert title == "Governance"
    assert rows == [requirement.pk, measure_a.pk, measure_b.pk, world.item.pk, criterion.pk]


def test_grouped_as_requirement_with_its_measures(client_for, world):
    req_b = add(world, kind=Kind.REQUIREMENT, code="avg-02")
    req_a = add(world, kind=Kind.REQUIREMENT, code="aia-01")
    both = add(world, code="imp-01", links=(req_b, req_a))
    only_b = add(world, code="imp-02", links=(req_b,))
    crit = add(world, kind=Kind.CRITERION, code="gl-01")
    # A measure linked only to a vereiste that is not on this checklist (retired).
    gone = add(world, kind=Kind.REQUIREMENT, code="zzz-01", retired_at=timezone.now())
    orphan = add(world, code="imp-03", links=(gone,))

    html = page(client_for(world.viewer), world, "?group=vereiste")
    titles_and_rows = groups(html)
    assert [(title.split(":")[0], rows) for title, rows in titles_and_rows] == [
        ("aia-01", [req_a.pk, both.pk]),
        ("avg-02", [req_b.pk, only_b.pk]),
        # In the checklist's order, by code: imp-03 before the world's mtr-NN.
        ("Overige maatregelen", [orphan.pk, world.item.pk]),
        ("Pilot- en go-livecriteria", [crit.pk]),
    ]
    row = html.split(f'id="rij-{both.pk}"')[1].split("</tr>")[0]
    assert "Ook bij: avg-02" in row


def test_requirement_heading_stays_when_a_filter_hides_the_requirement(client_for, world):
    req = add(world, kind=Kind.REQUIREMENT, code="avg-02")
    measure = add(world, code="imp-01", links=(req,))
    html = page(client_for(world.viewer), world, "?group=vereiste&type=maatregel")
    assert groups(html)[0] == (f"avg-02: {req.catalog_item.title}", [measure.pk])


# -- query count ------------------------------------------------------------------------


def fill(world, count: int) -> None:
    """``count`` items with owners, evidence, risks, topics and links, like a real list."""
    before = world.algorithm.items.count()
    requirement = add(world, kind=Kind.REQUIREMENT, code="avg-01")
    users = [world.contributor, world.owner, None]
    for n in range(count - 2):
        item = add(
            world,
            topics=("governance", "privacy") if n % 2 else ("transparantie",),
            links=(requirement,) if n % 3 else (),
            owner=users[n % 3],
            due_date=timezone.localdate() - timedelta(days=n % 5 - 2),
        )
        Evidence.objects.create(item=item, kind="note", title="e", added_by=world.contributor)
        ResidualRisk.objects.create(
            item=item, description="r", likelihood=1, impact=1, created_by=world.owner
        )
    pack = make_release()  # criteria come from the content pack's own release
    make_checklist_item(world.algorithm, make_catalog_item(pack, kind=Kind.CRITERION))
    assert world.algorithm.items.count() == before + count


def queries_for(client, url: str) -> tuple[int, int]:
    """The page's queries with nothing kept (the rows' topics or links and every item are
    loaded, one query each) and with the page's rows kept whole (neither is loaded)."""
    counts = []
    for kept in (False, True):
        if not kept:
            caches["fragments"].clear()
            caches["pages"].clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    cold, warm = counts
    assert cold == warm + 2  # the rows' topics or links, and the items to render
    return cold, warm


@pytest.mark.parametrize(
    ("role", "query"),
    [
        ("contributor", ""),
        ("contributor", "?group=vereiste&status=open&q=item&owner=geen"),
        ("viewer", "?group=vereiste"),
    ],
)
def test_query_count_is_the_same_for_10_and_200_items(client_for, world, query, role):
    client = client_for(world.users[role])
    url = reverse("checklist:list", args=[world.algorithm.slug]) + query
    fill(world, 10)
    client.get(url)  # the items of later phases are judged on the first view only
    with_10 = queries_for(client, url)
    fill(world, 190)
    with_200 = queries_for(client, url)
    assert with_10 == with_200
    assert len(row_ids(client.get(url).content.decode())) > 60


def test_each_row_posts_to_its_own_items_update(client_for, world):
    """The rows' save forms post where reverse() says, their pk in place (the URL is
    reversed once for the page, tracker.pages.checklist.with_update_urls)."""
    others = [add(world) for _ in range(3)]
    html = page(client_for(world.contributor), world)
    forms = dict(re.findall(r'<form id="rij-form-(\d+)" method="post" action="([^"]+)"', html))
    expected = {
        str(item.pk): reverse("checklist:update", args=[world.algorithm.slug, item.pk])
        for item in [world.item, *others]
    }
    assert forms == expected
    assert f'hx-post="{expected[str(world.item.pk)]}"' in html
    # A reader has no save form.
    assert "rij-form-" not in page(client_for(world.viewer), world)
