"""The checklist sync: which rows are added, retired, reactivated; nothing is deleted."""

import pytest

from tests.algorithms.helpers import HIGH_RISK_DEPLOYER, make_catalog
from tests.world import make_algorithm, make_user
from tracker.applicability import AIProfile
from tracker.audit.models import AuditEntry
from tracker.checklist import sync
from tracker.checklist.models import ChecklistItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return make_catalog()


@pytest.fixture
def actor():
    return make_user("sync-actor")


def current_codes(algorithm) -> set[str]:
    return set(algorithm.items.current().values_list("catalog_item__code", flat=True))


def test_plan_for_a_pilot_that_is_not_an_ai_system(catalog):
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    planned = sync.plan(
        algorithm, phase="implementatie", stage="pilot", profile=AIProfile.not_ai(impactful=True)
    )
    added = {judged.item.code for judged in planned.added}
    # owp-01 (phase ontwerp) stays on the checklist of a later phase.
    assert added == {"avg-01", "imp-02", "owp-01", "pil-01"}
    origins = {judged.item.code: judged.origin for judged in planned.added}
    assert origins["owp-01"] == "ontwerp"
    assert origins["avg-01"] == "implementatie"
    assert not planned.retired
    assert not planned.kept
    assert not planned.reactivated
    assert ChecklistItem.objects.count() == 0  # plan() writes nothing
    reasons = {judged.item.code: judged.reasons for judged in planned.added}
    assert reasons["avg-01"][0]["code"] == "not_ai_system_other_law"
    assert reasons["pil-01"] == (
        {"code": "criterion_stage", "text": "Criterium voor de stap pilot"},
    )


def test_apply_creates_rows_with_reasons_and_audit(catalog, actor):
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    sync.sync(algorithm, actor, "Test")
    assert current_codes(algorithm) == {"avg-01", "imp-02", "owp-01", "pil-01"}
    row = algorithm.items.get(catalog_item=catalog.avg)
    assert row.reasons == [
        {
            "code": "not_ai_system_other_law",
            "text": "Geen AI-systeem: vereisten uit avg gelden voor elk algoritme "
            "(AI-labels tellen niet mee)",
        },
        {"code": "phase_origin", "text": "Uit de fase Implementatie"},
    ]
    assert row.origin_phase == "implementatie"
    assert algorithm.items.get(catalog_item=catalog.design).origin_name == "Ontwerp"
    entries = AuditEntry.objects.filter(algorithm=algorithm)
    assert entries.filter(action="item_added").count() == 4
    assert entries.for_object(row).get().changes["sync_reason"] == [None, "Test"]
    synced = entries.get(action="checklist_synced")
    assert synced.object_id == str(algorithm.pk)
    assert synced.changes["added"] == [None, 4]


def test_retire_keeps_data_and_reactivate_restores_it(catalog, actor):
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    sync.sync(algorithm, actor, "Start")
    pilot_row = algorithm.items.get(catalog_item=catalog.pilot)
    pilot_row.status = ChecklistItem.Status.DONE
    pilot_row.work_instruction = "Zo werkt het."
    pilot_row.save()

    # Pilot -> production: the pilot criterion retires, go-live criteria join.
    planned = sync.plan(
        algorithm, phase="implementatie", stage="production", profile=algorithm.profile()
    )
    assert [c.checklist_item for c in planned.retired] == [pilot_row]
    assert planned.retired[0].reasons[0]["code"] == "criterion_other_stage"
    assert {j.item.code for j in planned.added} == {"gl-01", "gl-06"}
    informed = next(j for j in planned.added if j.item.code == "gl-06")
    assert [r["code"] for r in informed.reasons] == ["criterion_stage", "criterion_mandatory_when"]
    assert "impactvol" in informed.reasons[1]["text"]
    sync.apply(algorithm, planned, actor, "Naar productie")

    pilot_row.refresh_from_db()
    assert pilot_row.retired_at is not None
    assert pilot_row.retired_reason.startswith("Naar productie: Criterium voor de stap pilot")
    assert pilot_row.status == ChecklistItem.Status.DONE
    assert pilot_row.work_instruction == "Zo werkt het."
    assert pilot_row.version == 2
    assert AuditEntry.objects.for_object(pilot_row).filter(action="item_retired").count() == 1
    total = ChecklistItem.objects.filter(algorithm=algorithm).count()
    assert total == 6

    # Back to the pilot: the same row comes back, with its data.
    planned = sync.plan(
        algorithm, phase="implementatie", stage="pilot", profile=algorithm.profile()
    )
    assert [c.checklist_item for c in planned.reactivated] == [pilot_row]
    assert {c.item.code for c in planned.retired} == {"gl-01", "gl-06"}
    sync.apply(algorithm, planned, actor, "Terug naar pilot")
    pilot_row.refresh_from_db()
    assert pilot_row.retired_at is None
    assert pilot_row.retired_reason == ""
    assert pilot_row.status == ChecklistItem.Status.DONE
    assert AuditEntry.objects.for_object(pilot_row).filter(action="item_reactivated").exists()
    assert ChecklistItem.objects.filter(algorithm=algorithm).count() == total  # nothing deleted


def test_profile_change_adds_ai_act_items_and_refreshes_reasons(catalog, actor):
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    sync.sync(algorithm, actor, "Start")
    assert "aia-09" not in current_codes(algorithm)
    profile = AIProfile(**{**HIGH_RISK_DEPLOYER, "rol_ai_act": {"gebruiksverantwoordelijke"}})
    planned = sync.plan(algorithm, phase="implementatie", stage="pilot", profile=profile)
    assert {j.item.code for j in planned.added} == {"aia-09", "imp-01"}
    measure = next(j for j in planned.added if j.item.code == "imp-01")
    assert measure.reasons[0]["code"] == "linked_requirement_applies"
    sync.apply(algorithm, planned, actor, "AI-systeem")
    # avg-01 stayed on the list; its reasons now describe the AI profile.
    avg_row = algorithm.items.get(catalog_item=catalog.avg)
    assert avg_row.reasons == [
        {"code": "no_ai_labels", "text": "Geen AI-labels: geldt altijd"},
        {"code": "phase_origin", "text": "Uit de fase Implementatie"},
    ]
    assert AuditEntry.objects.for_object(avg_row).filter(action="item_reasons_updated").exists()


def test_moving_back_retires_items_of_the_phases_not_reached(catalog, actor):
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    sync.sync(algorithm, actor, "Start")
    planned = sync.plan(algorithm, phase="ontwerp", stage="", profile=algorithm.profile())
    assert not planned.added
    reasons = {c.item.code: c.reasons for c in planned.retired}
    assert set(reasons) == {"avg-01", "imp-02", "pil-01"}
    assert reasons["avg-01"] == (
        {"code": "not_in_phase", "text": "Hoort bij een komende fase: Implementatie"},
    )
    assert {j.item.code for j in planned.upcoming} == {"avg-01", "imp-02"}
    sync.apply(algorithm, planned, actor, "Fase")
    assert current_codes(algorithm) == {"owp-01"}
    assert algorithm.items.count() == 4


def test_moving_forward_never_retires_an_earlier_phase_item(catalog, actor):
    algorithm = make_algorithm(release=catalog.release, phase="ontwerp", stage="")
    sync.sync(algorithm, actor, "Start")
    assert current_codes(algorithm) == {"owp-01"}
    planned = sync.plan(
        algorithm, phase="implementatie", stage="pilot", profile=algorithm.profile()
    )
    assert not planned.retired
    assert {j.item.code for j in planned.added} == {"avg-01", "imp-02", "pil-01"}
    assert [c.origin for c in planned.kept] == ["ontwerp"]


def test_sync_without_changes_only_records_the_sync(catalog, actor):
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    sync.sync(algorithm, actor, "Start")
    before = AuditEntry.objects.count()
    planned = sync.sync(algorithm, actor, "Nog eens")
    assert not planned.has_changes
    assert len(planned.kept) == 4
    assert AuditEntry.objects.count() == before + 1


def test_only_the_latest_pack_counts(catalog, actor):
    from tests.builders import make_item, make_release
    from tracker.catalog.models import CatalogItem, ContentRelease

    newer = make_release("pack-newer", kind=ContentRelease.Source.PACK)
    make_item(
        newer,
        CatalogItem.Kind.CRITERION,
        code="pil-09",
        phases=["implementatie"],
        front_matter={"stap": "pilot"},
    )
    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    planned = sync.plan(
        algorithm, phase="implementatie", stage="pilot", profile=algorithm.profile()
    )
    codes = {j.item.code for j in planned.added}
    assert "pil-09" in codes
    assert "pil-01" not in codes


def test_plan_query_count_does_not_grow_with_items(catalog, django_assert_max_num_queries):
    from tests.builders import make_measure

    algorithm = make_algorithm(release=catalog.release, phase="implementatie", stage="pilot")
    for _ in range(30):
        make_measure(catalog.release, phases=["implementatie"], links=[catalog.avg])
    with django_assert_max_num_queries(8):
        planned = sync.plan(
            algorithm, phase="implementatie", stage="pilot", profile=algorithm.profile()
        )
    assert len(planned.added) == 34
