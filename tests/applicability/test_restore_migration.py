"""The data migration of issue 11 on a copy of seeded data: items retired only because of
a phase change come back with all their data, and the audit chain still verifies."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from tracker.applicability.scope import ORGANISATION
from tracker.audit.models import AuditEntry
from tracker.audit.trail import Pending, record_many
from tracker.audit.verify import verify_chain
from tracker.catalog.importer import import_release
from tracker.checklist.models import ChecklistItem
from tracker.dashboards.seeding import seed_demo

pytestmark = pytest.mark.django_db
migration = importlib.import_module("tracker.migrations.0012_restore_phase_retired_items")
OLD_REASON = "Fase of profiel gewijzigd: Hoort niet bij de fase {}"


def retire_as_before(rows) -> None:
    """What the sync did before issue 11 on a phase change: retire, with an audit entry."""
    now = timezone.now()
    pending = []
    for row in rows:
        row.retired_at = now
        row.retired_reason = OLD_REASON.format(row.algorithm.get_phase_display())
        row.version += 1
        pending.append(
            Pending(
                actor=None,
                obj=row,
                action="item_retired",
                changes={"retired_at": [None, now], "version": [row.version - 1, row.version]},
                algorithm=row.algorithm,
            )
        )
    ChecklistItem.objects.bulk_update(rows, ["retired_at", "retired_reason", "version"])
    record_many(pending)


def test_phase_retired_items_come_back_with_their_data(v251):
    import_release(settings.CONTENT_PACK_DIR)
    import_release(v251)
    seed_demo(12, seed=3)
    earlier = list(
        ChecklistItem.objects.current()
        .exclude(origin_phase__in=["", ORGANISATION])
        .select_related("algorithm")
        .filter(algorithm__phase__in=["implementatie", "monitoring-en-beheer"])
        .exclude(origin_phase__in=["implementatie", "monitoring-en-beheer"])
    )
    assert len(earlier) > 20
    state = {row.pk: (row.status, row.owner_id, row.evidence.count()) for row in earlier}
    retire_as_before(earlier)
    ChecklistItem.objects.update(origin_phase="")  # the column did not exist yet
    profile_retired = ChecklistItem.objects.filter(retired_at__isnull=False).exclude(pk__in=state)
    kept_retired = set(profile_retired.values_list("pk", flat=True))
    entries = AuditEntry.objects.count()

    migration.restore(apps, None)

    restored = ChecklistItem.objects.filter(pk__in=state)
    assert not restored.filter(retired_at__isnull=False).exists()
    for row in restored:
        assert (row.status, row.owner_id, row.evidence.count()) == state[row.pk]
        assert row.origin_phase not in ("", row.algorithm.phase)
        assert row.reasons[0]["code"] == "phase_origin"
    # Rows retired for another reason (profile, stage) stay retired.
    assert (
        set(
            ChecklistItem.objects.filter(pk__in=kept_retired, retired_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        == kept_retired
    )
    assert (
        not ChecklistItem.objects.current()
        .filter(origin_phase="")
        .exclude(catalog_item__kind="criterion")
        .exists()
    )
    reactivated = AuditEntry.objects.filter(action="item_reactivated", seq__gt=entries)
    assert reactivated.count() == len(state)
    result = verify_chain()
    assert result.ok, result.problem
