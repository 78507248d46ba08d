"""The checklist page reads its rows as values (read_facts, rows_of); the dossier builds them from
items in memory (Row.from_item). Both must give the same facts, topics, links and so
the same key for the kept cells."""

from datetime import timedelta

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from tests.world import (
    make_algorithm,
    make_catalog_item,
    make_checklist_item,
    make_evidence,
    make_risk,
    make_user,
)
from tracker.catalog.models import CatalogItem, Taxon
from tracker.checklist.models import ChecklistItem
from tracker.checklist.rows import ROW_FIELDS, Row, read_facts, rows_of

pytestmark = pytest.mark.django_db
Kind = CatalogItem.Kind


def _items(algorithm, today):
    return (
        algorithm.items.for_checklist_page(today)
        .prefetch_related(
            Prefetch("catalog_item__links", CatalogItem.objects.only("id")),
            Prefetch("catalog_item__topics", Taxon.objects.all()),
        )
        .order_by("pk")
    )


def test_values_and_items_give_the_same_rows():
    today = timezone.localdate()
    algorithm = make_algorithm()
    owner = make_user("eigenaar", first_name="Eline", last_name="de Ruiter")
    requirement = make_checklist_item(
        algorithm, make_catalog_item(algorithm.release, kind=Kind.REQUIREMENT)
    )
    catalog_item = make_catalog_item(
        algorithm.release, topics=("transparantie", "governance", "privacy")
    )
    catalog_item.links.add(requirement.catalog_item)
    measure = make_checklist_item(
        algorithm,
        catalog_item,
        status=ChecklistItem.Status.IN_PROGRESS,
        owner=owner,
        due_date=today - timedelta(days=3),
        review_since=timezone.now(),
        origin_phase="ontwerp",
    )
    make_evidence(measure, owner)
    make_risk(measure, owner)
    make_risk(measure, owner, accepted_by=owner)

    read = rows_of(
        read_facts(algorithm.items.with_counts(today).order_by("pk")), topics=True, links=True
    )
    built = [
        Row.from_item(item, links=tuple(link.pk for link in item.catalog_item.links.all()))
        for item in _items(algorithm, today)
    ]

    assert [row.facts for row in read] == [row.facts for row in built]
    assert [row.cache_key for row in read] == [row.cache_key for row in built]
    assert [row.links for row in read] == [row.links for row in built]
    row = read[1]
    assert set(row.facts) == set(ROW_FIELDS)
    assert (row.facts["evidence_count"], row.facts["open_risk_count"]) == (1, 1)
    assert row.facts["owner__last_name"] == "de Ruiter"
    assert row.links == (requirement.catalog_item_id,)
    # The topics in the order catalog_item.topics gives them.
    expected = [(t.slug, t.title, t.position) for t in catalog_item.topics.all()]
    assert list(row.topics) == expected
    assert [title for _, title, _ in expected] == ["Governance", "Privacy", "Transparantie"]
    assert row.values == {
        "status": "in_progress",
        "justification": "",
        "owner": str(owner.pk),
        "due_date": (today - timedelta(days=3)).isoformat(),
    }
    # A row without an owner reads no owner's name either way.
    assert read[0].facts["owner__username"] is None
    assert built[0].facts["owner__username"] is None


def test_a_change_of_any_fact_changes_the_key():
    today = timezone.localdate()
    algorithm = make_algorithm()
    item = make_checklist_item(algorithm)
    (before,) = rows_of(read_facts(algorithm.items.with_counts(today)))
    for change in (
        {"justification": "Anders"},
        {"status": ChecklistItem.Status.DONE},
        {"origin_phase": "ontwerp"},
    ):
        ChecklistItem.objects.filter(pk=item.pk).update(**change)
        (after,) = rows_of(read_facts(algorithm.items.with_counts(today)))
        assert after.cache_key != before.cache_key, change
        before = after
    CatalogItem.objects.filter(pk=item.catalog_item_id).update(title="Nieuwe titel")
    (after,) = rows_of(read_facts(algorithm.items.with_counts(today)))
    assert after.cache_key != before.cache_key
    # A row showing a refused save or a saved notice is never kept.
    after.saved = True
    assert after.cache_key == ""
