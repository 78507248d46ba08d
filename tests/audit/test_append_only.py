"""Entries cannot be changed or removed through the ORM."""

import pytest
from django.db import transaction

from tracker.audit.models import AppendOnlyError, AuditEntry
from tracker.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_saving_an_existing_entry_is_refused(make_trail) -> None:
    entry = make_trail(1)[0]
    entry.actor_name = "iemand-anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "owner"


def test_deleting_an_entry_is_refused(make_trail) -> None:
    entry = make_trail(1)[0]
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(actor_name="x"),
        lambda qs: qs.delete(),
        lambda qs: AuditEntry.objects.bulk_update(list(qs), ["actor_name"]),
        lambda qs: qs.update_or_create(seq=1, defaults={"actor_name": "x"}),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create"],
)
def test_queryset_changes_are_refused(make_trail, change) -> None:
    make_trail(2)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        change(AuditEntry.objects.all())
    assert AuditEntry.objects.count() == 2
    assert verify_chain().ok
