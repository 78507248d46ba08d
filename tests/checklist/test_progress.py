from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.world import make_algorithm, make_checklist_item
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import Progress, progress_for

Status = ChecklistItem.Status
pytestmark = pytest.mark.django_db


def test_figures_of_a_hand_made_checklist(django_assert_num_queries):
    algorithm = make_algorithm()
    today = date(2026, 3, 1)
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    make_checklist_item(algorithm, status=Status.DONE, due_date=yesterday)  # done: not overdue
    make_checklist_item(algorithm, status=Status.DONE)
    make_checklist_item(algorithm, status=Status.NOT_APPLICABLE, justification="Geen AI")
    make_checklist_item(algorithm, status=Status.OPEN, due_date=yesterday)  # overdue
    make_checklist_item(algorithm, status=Status.OPEN, due_date=tomorrow)
    make_checklist_item(algorithm, status=Status.OPEN)
    make_checklist_item(algorithm, status=Status.IN_PROGRESS, due_date=yesterday)  # overdue
    make_checklist_item(algorithm, status=Status.IN_PROGRESS, due_date=today)  # due today: not yet
    # Retired items never count, whatever their status.
    retired = timezone.now()
    make_checklist_item(algorithm, status=Status.OPEN, due_date=yesterday, retired_at=retired)
    make_checklist_item(algorithm, status=Status.DONE, retired_at=retired)
    # Another algorithm's items are not ours.
    make_checklist_item(make_algorithm(), status=Status.DONE)

    with django_assert_num_queries(1):
        progress = progress_for(algorithm.items.all(), today)

    assert progress == Progress(total=8, done=2, not_applicable=1, open=3, in_progress=2, overdue=2)
    assert progress.ready == 3
    assert progress.percent_ready == 37  # 3/8 = 37.5%, rounded down
    assert not progress.is_complete


def test_percent_is_rounded_down_and_complete_only_when_all_ready():
    algorithm = make_algorithm()
    for _ in range(199):
        make_checklist_item(algorithm, status=Status.DONE)
    last = make_checklist_item(algorithm, status=Status.OPEN)
    progress = progress_for(algorithm.items.all())
    assert (progress.total, progress.percent_ready, progress.is_complete) == (200, 99, False)

    ChecklistItem.objects.filter(pk=last.pk).update(
        status=Status.NOT_APPLICABLE, justification="Niet relevant"
    )
    progress = progress_for(algorithm.items.all())
    assert (progress.percent_ready, progress.is_complete) == (100, True)


def test_empty_checklist_is_zero_not_an_error():
    progress = progress_for(make_algorithm().items.all())
    assert (progress.total, progress.percent_ready, progress.is_complete) == (0, 0, False)


def test_works_on_an_annotated_page_queryset():
    algorithm = make_algorithm()
    make_checklist_item(algorithm, status=Status.DONE)
    make_checklist_item(algorithm, status=Status.OPEN)
    progress = progress_for(algorithm.items.for_checklist_page())
    assert (progress.total, progress.done, progress.open) == (2, 1, 1)
