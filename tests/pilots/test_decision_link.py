"""Decision.pilot: a real foreign key from a pilot-gate decision to the pilot it closes
(it lived inside the JSON snapshot, queried as ``snapshot__pilot__id``), backfilled by
migration 0015 from the snapshot."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests.pilots.helpers import make_pilot
from tracker.decisions.actions import record_decision
from tracker.decisions.models import Decision
from tracker.pilots import actions

pytestmark = pytest.mark.django_db

migration = importlib.import_module("tracker.migrations.0015_decision_pilot")


def pilot_decision(world, outcome="develop", **extra) -> Decision:
    return record_decision(
        world.algorithm, world.approver, gate="pilot", outcome=outcome, rationale="Ok", **extra
    )


def test_a_pilot_decision_links_the_pilot_it_closes(world):
    pilot = make_pilot(world, evaluated=True)
    assert actions.open_pilot(world.algorithm) == pilot
    decision = pilot_decision(world)
    assert decision.pilot == pilot
    assert list(pilot.decisions.all()) == [decision]
    assert actions.decision_for(pilot) == decision
    assert actions.open_pilot(world.algorithm) is None


def test_a_go_live_decision_names_no_pilot(world):
    make_pilot(world, evaluated=True)
    decision = record_decision(
        world.algorithm, world.approver, gate="go_live", outcome="no_go", rationale="Nog niet"
    )
    assert decision.snapshot["pilot"] is not None  # frozen for context, not closed
    assert decision.pilot is None


def test_only_a_pilot_gate_decision_may_name_a_pilot(world):
    pilot = make_pilot(world, evaluated=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        record_decision(
            world.algorithm,
            world.approver,
            gate="go_live",
            outcome="go",
            rationale="Go",
            pilot=pilot,
        )


def test_a_pilot_with_a_decision_is_protected(world):
    pilot = make_pilot(world, evaluated=True)
    pilot_decision(world)
    with pytest.raises(ProtectedError):
        pilot.delete()


def test_the_migration_links_decisions_from_their_snapshot(world):
    first = make_pilot(world, evaluated=True)
    old = pilot_decision(world)
    second = make_pilot(world, evaluated=True, start_date=first.end_date, end_date=first.end_date)
    new = pilot_decision(world, expected_current=old.pk)
    go_live = record_decision(
        world.algorithm, world.approver, gate="go_live", outcome="no_go", rationale="Nee"
    )
    # As before the migration: the link only inside the snapshot.
    Decision.objects.update(pilot=None)
    broken = record_decision(
        world.algorithm, world.approver, gate="pilot", outcome="develop", rationale="Ok"
    )
    snapshot = {**broken.snapshot, "pilot": {"id": 999999}}  # a pilot that does not exist
    Decision.objects.filter(pk=broken.pk).update(snapshot=snapshot, pilot=None)

    migration.link_pilot_decisions(apps, None)

    linked = dict(Decision.objects.values_list("pk", "pilot_id"))
    assert linked == {old.pk: first.pk, new.pk: second.pk, go_live.pk: None, broken.pk: None}
    assert Decision.objects.get(pk=old.pk).snapshot_verifies()  # the snapshot is untouched
