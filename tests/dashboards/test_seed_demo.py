"""seed_demo on the real content: deterministic, consistent with the app's own rules
(applicability, audit chain, decision snapshots), and refusing what it cannot do."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from tests import decision_rules as rules
from tracker.algorithms.models import Algorithm
from tracker.audit.models import AuditEntry
from tracker.audit.verify import verify_chain
from tracker.catalog.importer import import_release
from tracker.checklist.models import ChecklistItem
from tracker.checklist.sync import plan
from tracker.dashboards.models import ReadinessSnapshot
from tracker.dashboards.seeding import seed_demo
from tracker.decisions.models import Decision
from tracker.organisations.models import OrganisationMembership
from tracker.risks.models import ResidualRisk

pytestmark = pytest.mark.django_db
COUNT = 12


@pytest.fixture
def content(v251):
    import_release(settings.CONTENT_PACK_DIR)
    import_release(v251)


class _Rollback(Exception):
    pass


def fingerprint() -> tuple:
    algorithms = sorted(
        Algorithm.objects.values_list(
            "slug", "name", "organisation__slug", "phase", "stage", "risicogroep", "impactful"
        )
    )
    items = sorted(
        ChecklistItem.objects.values_list(
            "algorithm__slug",
            "catalog_item__slug",
            "status",
            "owner__username",
            "due_date",
        )
    )
    risks = sorted(
        (slug, likelihood, impact, accepted is not None)
        for slug, likelihood, impact, accepted in ResidualRisk.objects.values_list(
            "item__algorithm__slug", "likelihood", "impact", "accepted_at"
        )
    )
    decisions = sorted(Decision.objects.values_list("algorithm__slug", "gate", "outcome"))
    return algorithms, items, risks, decisions, AuditEntry.objects.count()


def seeded_fingerprint(seed: int) -> tuple:
    try:
        with transaction.atomic():
            seed_demo(COUNT, seed=seed, today=timezone.localdate())
            found = fingerprint()
            raise _Rollback
    except _Rollback:
        return found


def test_seed_demo_needs_an_imported_release(db):
    with pytest.raises(CommandError, match="no Algoritmekader release imported"):
        call_command("seed_demo", "--algorithms", "2")


def test_the_same_seed_gives_the_same_data(content):
    first = seeded_fingerprint(7)
    assert first == seeded_fingerprint(7)
    assert first != seeded_fingerprint(8)
    assert len(first[0]) == COUNT


def test_seeded_data_follows_the_rules_of_the_app(content, capsys):
    call_command("seed_demo", "--algorithms", str(COUNT), "--seed", "3")
    assert f"algorithms={COUNT}" in capsys.readouterr().out
    algorithms = list(Algorithm.objects.all())
    assert len(algorithms) == COUNT
    for algorithm in algorithms:
        # the checklist is exactly what applies (tracker.checklist.sync has nothing to add)
        planned = plan(
            algorithm, phase=algorithm.phase, stage=algorithm.stage, profile=algorithm.profile()
        )
        assert not planned.has_changes, algorithm.slug
        assert algorithm.memberships.filter(role="owner").count() == 1
        assert algorithm.memberships.filter(role="approver").count() == 1
    assert not ChecklistItem.objects.filter(status="not_applicable", justification="").exists()
    assert verify_chain().ok
    assert AuditEntry.objects.filter(action="item_added").count() == ChecklistItem.objects.count()
    for decision in Decision.objects.all():
        assert decision.snapshot_verifies()
        assert decision.snapshot["algorithm"]["slug"] == decision.algorithm.slug
    managers = OrganisationMembership.objects.filter(is_portfolio_viewer=True)
    assert managers.count() == 6
    assert ReadinessSnapshot.objects.count() == COUNT * 90
    assert ReadinessSnapshot.objects.filter(date=timezone.localdate()).count() == COUNT

    with pytest.raises(CommandError, match="exist already"):
        call_command("seed_demo", "--algorithms", "1")


def test_seeded_decisions_follow_the_gate_and_decision_rules(content):
    """The same checks as on the demo of `make run` (tests/decision_rules.py)."""
    seed_demo(COUNT * 2, seed=5)
    gates = set(Decision.objects.values_list("gate", "outcome"))
    assert ("pilot", "implement") in gates
    assert {"go", "conditional", "no_go"} & {
        outcome for gate, outcome in gates if gate == "go_live"
    }
    rules.check_all()
