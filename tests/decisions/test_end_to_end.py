"""Issue 4 acceptance, end to end: algorithm -> pilot -> evaluation -> implement ->
work the checklist -> go-live decision; then an item changes, and the decision's
snapshot stays as it was and its hash still verifies."""

import datetime

import pytest
from django.urls import reverse

from tests.builders import make_item, make_measure, make_release, make_requirement
from tests.register.helpers import ensure_standard
from tests.world import make_algorithm, make_world
from tracker.algorithms.actions import PROFILE_FIELDS
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.checklist import sync
from tracker.checklist.actions import update_item
from tracker.checklist.models import ChecklistItem
from tracker.checklist.profile import change_profile
from tracker.decisions.actions import record_decision
from tracker.decisions.models import Decision
from tracker.evidence.actions import add_note
from tracker.gates.readiness import GO_LIVE_CRITERIA, go_live_readiness
from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion
from tracker.register.actions import export_entry, save_entry

pytestmark = pytest.mark.django_db


def make_content():
    release = make_release("ak-e2e")
    requirement = make_requirement(release, code="avg-01", phases=["implementatie"])
    make_measure(release, code="imp-01", phases=["implementatie"], links=[requirement])
    pack = make_release("pack-e2e", kind=ContentRelease.Source.PACK)
    make_item(
        pack,
        CatalogItem.Kind.CRITERION,
        code="pil-01",
        phases=["implementatie"],
        front_matter={"stap": "pilot", "criterium": "pilot-afbakening"},
    )
    for n, key in enumerate(GO_LIVE_CRITERIA, start=1):
        front = {"stap": "productie", "criterium": key}
        if key == "betrokkenen-geinformeerd":
            front["verplicht-bij"] = ["impactvol", "hoog-risico-ai-systeem"]
        make_item(
            pack,
            CatalogItem.Kind.CRITERION,
            code=f"gl-{n:02d}",
            phases=["implementatie"],
            front_matter=front,
        )
    return release


def run_pilot(algorithm, user) -> None:
    pilot = Pilot.objects.create(
        algorithm=algorithm,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 3, 27),
        max_cases=300,
        units="Afdeling Vergunningen",
        legal_basis="Wettelijke taak (art. 6 lid 1 sub e AVG); DPIA uitgevoerd",
        participants="Acht behandelaars",
        agreements="Behandelaar beslist; afwijkingen worden gemeld",
        created_by=user,
    )
    criterion = SuccessCriterion.objects.create(
        pilot=pilot, name="Doorlooptijd", metric="dagen", expected="<= 10"
    )
    evaluation = PilotEvaluation.objects.create(
        pilot=pilot, usability_findings="Behandelaars begrijpen de score", evaluated_by=user
    )
    CriterionResult.objects.create(
        evaluation=evaluation, criterion=criterion, measured_value="8", met=True
    )


def test_from_pilot_to_go_live_and_the_snapshot_holds(client):
    world = make_world()
    approver, contributor, owner = world.approver, world.contributor, world.owner
    release = make_content()
    # register: a fresh impactful algorithm on this release, with the world's members
    algorithm = make_algorithm(
        world.algorithm.organisation, release, name="Vergunningcheck", impactful=True
    )
    for role in ("approver", "contributor", "owner"):
        algorithm.memberships.create(user=world.users[role], role=role)
    sync.sync(algorithm, owner, "Geregistreerd")
    assert set(algorithm.items.current().values_list("catalog_item__code", flat=True)) == {
        "avg-01",
        "imp-01",
        "pil-01",
    }

    # pilot, evaluation and the pilot decision "implement"
    run_pilot(algorithm, owner)
    pilot_decision = record_decision(
        algorithm, approver, gate=Decision.Gate.PILOT, outcome="implement", rationale="Geslaagd"
    )
    assert pilot_decision.snapshot["pilot"]["success_criteria"][0]["met"] is True
    values = {name: getattr(algorithm, name) for name in PROFILE_FIELDS}
    values["stage"] = "production"
    change_profile(
        algorithm,
        actor=owner,
        version=algorithm.version,
        values=values,
        profile=algorithm.profile(),
    )
    algorithm.refresh_from_db()
    assert algorithm.items.current().filter(catalog_item__kind="criterion").count() == 6

    # work the checklist
    blockers_before = go_live_readiness(algorithm).blockers
    assert "affected-persons" in {b.key for b in blockers_before}
    for item in algorithm.items.current():
        item = update_item(
            item,
            contributor,
            expected_version=item.version,
            status=ChecklistItem.Status.DONE,
            owner=contributor,
        )
        add_note(item, contributor, note="Zie dossier", title=f"Bewijs {item.pk}")
    # impactful: a current Algoritmeregister entry is part of informing affected persons
    assert go_live_readiness(algorithm).keys == {"register-entry"}
    ensure_standard()
    save_entry(
        algorithm,
        contributor,
        expected_version=0,
        submitted={
            "contact_email": "algoritmes@voorbeeldstad.nl",
            "description_short": "Controleert vergunningaanvragen.",
        },
    )
    export_entry(algorithm, owner)
    assert go_live_readiness(algorithm).blockers == []

    # the go-live decision, through the page
    client.force_login(approver)
    response = client.post(
        reverse("decisions:record", args=[algorithm.slug]),
        {
            "outcome": "go",
            "rationale": "Alle criteria gereed",
            "current": "",
            "voorwaarde-TOTAL_FORMS": "0",
            "voorwaarde-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    decision = algorithm.decisions.get(gate=Decision.Gate.GO_LIVE)
    frozen, frozen_hash = decision.snapshot, decision.snapshot_hash
    assert decision.snapshot_verifies()

    # an item changes afterwards
    item = algorithm.items.get(catalog_item__code="avg-01")
    client.force_login(contributor)
    response = client.post(
        reverse("checklist:update", args=[algorithm.slug, item.pk]),
        {
            "status": "in_progress",
            "owner": str(contributor.pk),
            "version": str(item.version),
            "justification": "",
            "due_date": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.IN_PROGRESS

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.snapshot == frozen
    assert decision.snapshot_hash == frozen_hash
    assert decision.snapshot_verifies()
    [frozen_item] = [i for i in decision.snapshot["items"] if i["id"] == item.pk]
    assert frozen_item["status"] == "done"
    html = client.get(reverse("decisions:detail", args=[algorithm.slug, decision.pk])).content
    assert "hash klopt" in html.decode()
    assert "hash klopt NIET" not in html.decode()
    # and the gate now shows the new blocker
    assert f"item:{item.pk}:not-done" in go_live_readiness(algorithm).keys
