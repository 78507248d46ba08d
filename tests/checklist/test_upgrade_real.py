"""Moving an algorithm from v2.0 to v2.5.1 on the real content: all work carried over.

The acceptance scenario of the release upgrade: work on v2.0's
``2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding`` lands on v2.5.1's
``2-owp-14-verwerkersovereenkomst-onderdeel-aanbesteding`` (matched by file slug),
never on v2.5.1's owp-17 (the same URN, another measure).
"""

import datetime
import io
import json
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from tests.world import make_decision, make_evidence, make_organisation, make_risk, make_user
from tracker.catalog.importer import import_release
from tracker.catalog.models import ContentRelease
from tracker.checklist.actions import add_comment, decide_item
from tracker.checklist.models import ChecklistItem, ItemDecision
from tracker.checklist.profile import create_algorithm
from tracker.checklist.upgrade import apply_upgrade, plan_upgrade
from tracker.decisions.models import Decision

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

OLD_SLUG = "2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding"
NEW_SLUG = "2-owp-14-verwerkersovereenkomst-onderdeel-aanbesteding"
REUSED = "2-owp-17-leveren-bewijs-voldoen-aan-vereisten-algoritme-aanbieder"


def row_counts() -> dict[str, int]:
    """Rows of every table of the project (and of the many-to-many tables)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        counts[model._meta.db_table] = model._default_manager.count()
    return counts


@pytest.fixture
def world(v20, v251):
    old = import_release(v20).release
    new = import_release(v251).release
    import_release(Path(settings.BASE_DIR) / "content")
    owner, approver = make_user("eigenaar"), make_user("accordeerder")
    from tests.world import add_member

    algorithm = create_algorithm(
        actor=owner,
        values={
            "name": "Inkoopadviseur",
            "organisation": make_organisation(),
            "release": old,
            "phase": "ontwerp",
            "impactful": True,
        },
    )
    add_member(algorithm, approver, "approver")
    row = algorithm.items.get(catalog_item__slug=OLD_SLUG)
    row.status = ChecklistItem.Status.IN_PROGRESS
    row.owner = owner
    row.due_date = datetime.date(2027, 3, 1)
    row.justification = "Leverancier levert de overeenkomst aan."
    row.work_instruction = "Controleer de verwerkersovereenkomst bij elke aanbesteding."
    row.save()
    evidence = make_evidence(row, owner, title="Concept-verwerkersovereenkomst")
    risk = make_risk(row, owner, description="Verwerker houdt zich niet aan de afspraken")
    add_comment(row, owner, body="Juridisch akkoord gevraagd.")
    decide_item(row, approver, verdict=ItemDecision.Verdict.GO, rationale="In orde.")
    decision = make_decision(algorithm, approver, rationale="Nog niet klaar")
    return SimpleNamespace(
        algorithm=algorithm,
        old=old,
        new=new,
        row=row,
        evidence=evidence,
        risk=risk,
        decision=decision,
        owner=owner,
    )


def test_preview_writes_nothing_and_names_the_moves(world):
    w = world
    algorithm, new, row = w.algorithm, w.new, w.row
    before = row_counts()
    plan = plan_upgrade(algorithm, new)
    assert row_counts() == before
    carried = {c.row.pk: c for c in plan.carried}
    assert carried[row.pk].pair.new.slug == NEW_SLUG
    assert carried[row.pk].substance  # the measure's text changed between the releases
    assert any(w.urn == "urn:nl:ak:mtr:owp-17" for w in plan.urn_warnings)
    algorithm.refresh_from_db()
    assert algorithm.release == w.old


def test_upgrade_carries_all_work_onto_owp_14(world):
    w = world
    algorithm, new, row, owner = w.algorithm, w.new, w.row, w.owner
    version = row.version

    plan = apply_upgrade(algorithm, new, owner, expected_version=algorithm.version)

    algorithm.refresh_from_db()
    assert algorithm.release == new
    row.refresh_from_db()
    assert row.catalog_item.release == new
    assert row.catalog_item.slug == NEW_SLUG
    assert row.status == ChecklistItem.Status.IN_PROGRESS
    assert row.owner == owner
    assert row.due_date == datetime.date(2027, 3, 1)
    assert row.justification == "Leverancier levert de overeenkomst aan."
    assert row.work_instruction.startswith("Controleer de verwerkersovereenkomst")
    assert list(row.evidence.all()) == [w.evidence]
    assert list(row.risks.all()) == [w.risk]
    assert row.comments.get().body == "Juridisch akkoord gevraagd."
    assert row.decisions.get().verdict == ItemDecision.Verdict.GO
    assert row.version == version + 1
    assert row.needs_review
    assert row.review_changes["from"]["slug"] == OLD_SLUG
    assert row.review_changes["to"]["slug"] == NEW_SLUG
    assert row.review_changes["differences"]
    # nothing of it on v2.5.1's owp-17, the reused URN
    reused = algorithm.items.filter(catalog_item__slug=REUSED, catalog_item__release=new).first()
    if reused is not None:
        assert not reused.evidence.exists()
        assert not reused.risks.exists()
        assert reused.status == ChecklistItem.Status.OPEN
    # every current row follows the new release (or the pack); none was deleted
    current = algorithm.items.current().exclude(catalog_item__release__kind="pack")
    assert not current.exclude(catalog_item__release=new).exists()
    assert algorithm.items.count() >= len(plan.carried) + len(plan.added)
    # the decision recorded before the move is untouched and still verifies
    decision = Decision.objects.get(pk=w.decision.pk)
    assert decision.snapshot_verifies()
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "audit trail intact" in out.getvalue()


def test_dossiers_show_the_work_on_owp_14(world):
    from tracker.exports.jsonexport import dossier_json
    from tracker.exports.pdf import dossier_pdf

    w = world
    algorithm, new, row, owner = w.algorithm, w.new, w.row, w.owner
    apply_upgrade(algorithm, new, owner)
    algorithm.refresh_from_db()
    exported = json.loads(dossier_json(algorithm, generated_by="auditor"))
    items = exported["items"]
    moved = next(item for item in items if item["id"] == row.pk)
    assert moved["slug"] == NEW_SLUG
    assert moved["code"] == "owp-14"
    assert [e["title"] for e in moved["evidence"]] == ["Concept-verwerkersovereenkomst"]
    assert moved["risks"][0]["description"] == "Verwerker houdt zich niet aan de afspraken"
    pdf = dossier_pdf(algorithm, generated_by="auditor")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "owp-14" in text
    assert "Concept-verwerkersovereenkomst" in text


def test_already_newest_says_so_and_changes_nothing(world):
    w = world
    algorithm, new, owner = w.algorithm, w.new, w.owner
    apply_upgrade(algorithm, new, owner)
    algorithm.refresh_from_db()
    before = row_counts()
    out = StringIO()
    call_command("upgrade_algorithms", "--to", new.label, "--algorithm", algorithm.slug, stdout=out)
    assert "volgt al release v2.5.1; er verandert niets" in out.getvalue()
    assert row_counts() == before


def test_command_dry_run_prints_the_preview_and_writes_nothing(world):
    algorithm = world.algorithm
    before = row_counts()
    out = StringIO()
    call_command("upgrade_algorithms", "--to", "v2.5.1", "--all", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"{algorithm.slug}: v2.0 -> v2.5.1: " in text
    assert f"opnieuw beoordelen: {OLD_SLUG} -> {NEW_SLUG}" in text
    assert "warning: urn:nl:ak:mtr:owp-17" in text
    assert row_counts() == before
    assert ContentRelease.objects.get(algorithms=algorithm).label == "v2.0"
