"""One definition of "gereed" (tracker/checklist/progress.py): the same algorithm shows
the same figure on every page that shows it. 10 applicable items of which 3 done and 2
justified not applicable (and a retired done item, which never counts): 5 of 10, 50%.
Before, the algorithm list and overview counted done items only (3 of 10)."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.world import add_member, make_algorithm, make_checklist_item, make_user
from tracker.checklist.models import ChecklistItem
from tracker.exports.dossier import build_dossier
from tracker.exports.pdf import pdf_input

pytestmark = pytest.mark.django_db

Status = ChecklistItem.Status
READY = re.compile(r'data-ready="(\d+)/(\d+)"')


@pytest.fixture
def algorithm():
    algorithm = make_algorithm(name="Parkeervergunningen")
    statuses = [Status.DONE] * 3 + [Status.NOT_APPLICABLE] * 2
    statuses += [Status.OPEN] * 4 + [Status.IN_PROGRESS]
    for status in statuses:
        justification = "Geen persoonsgegevens" if status == Status.NOT_APPLICABLE else ""
        make_checklist_item(algorithm, status=status, justification=justification)
    make_checklist_item(
        algorithm, status=Status.DONE, retired_at=timezone.now(), retired_reason="Fase gewijzigd"
    )
    return algorithm


@pytest.fixture
def reader(algorithm):
    user = make_user("lezer")
    add_member(algorithm, user, "viewer")
    return user


@pytest.fixture
def client(client, reader):
    client.force_login(reader)
    return client


PAGES = {
    "algoritmelijst": lambda a: reverse("algorithms:list"),
    "overzicht": lambda a: a.get_absolute_url(),
    "checklist": lambda a: reverse("checklist:list", args=[a.slug]),
    "dashboard": lambda a: reverse("algorithm_dashboard:detail", args=[a.slug]),
    "portfolio": lambda a: reverse("dashboards:portfolio"),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_same_figure(client, algorithm, page):
    response = client.get(PAGES[page](algorithm))
    assert response.status_code == 200
    html = response.content.decode()
    assert set(READY.findall(html)) == {("5", "10")}, page
    assert "50%" in html, page


def test_the_dossier_shows_the_same_figure(client, algorithm):
    dossier = build_dossier(algorithm, generated_by="test")
    progress = dossier["summary"]["progress"]
    assert (progress["ready"], progress["total"], progress["percent_ready"]) == (5, 10, 50)
    # What the PDF's template (Typst) receives and prints as ``percent_ready``.
    typeset = json.loads(pdf_input(dossier))["summary"]["progress"]
    assert (typeset["ready"], typeset["total"], typeset["percent_ready"]) == (5, 10, 50)
    response = client.get(reverse("exports:json", args=[algorithm.slug]))
    exported = json.loads(response.content)["summary"]["progress"]
    assert (exported["ready"], exported["total"], exported["percent_ready"]) == (5, 10, 50)


def test_the_list_shows_the_figure_of_each_algorithm(client, algorithm, reader):
    """Grouped per algorithm in one query; an algorithm without items shows 0 of 0."""
    add_member(make_algorithm(name="Nog leeg"), reader, "viewer")
    html = client.get(reverse("algorithms:list")).content.decode()
    assert sorted(READY.findall(html)) == [("0", "0"), ("5", "10")]
