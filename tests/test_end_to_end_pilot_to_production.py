"""Issue 4 acceptance, end to end through the pages, on the real content (Algoritmekader
v2.5.1 and the project's own pack in content/):

register an algorithm (owner) in implementatie/pilot -> record the pilot
(contributor) -> evaluate it -> the approver decides "implement" -> the checklist of
the production stage holds the six go-live criteria -> the team works the checklist
(statuses, owners, evidence, a deferred measure with a residual risk the approver
accepts) until the gate has no blockers -> the approver records a go -> an item
changes, and the decision's stored snapshot is unchanged and its hash still verifies.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.register.helpers import ensure_standard, entry_form_data
from tests.world import make_organisation, make_user
from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.checklist.models import ChecklistItem
from tracker.decisions.models import Decision
from tracker.gates.readiness import go_live_readiness
from tracker.organisations.models import OrganisationMembership
from tracker.pilots.models import Pilot
from tracker.risks.models import ResidualRisk

pytestmark = pytest.mark.django_db
PACK = Path(settings.BASE_DIR) / "content"
GO_LIVE_CODES = {f"gl-0{n}" for n in range(1, 7)}


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ok(response, status: int = 302):
    body = response.content.decode()[:2000] if status != response.status_code else ""
    assert response.status_code == status, body
    return response


@pytest.fixture
def content(v251) -> ContentRelease:
    call_command("import_content", str(v251), "--label", "v2.5.1", stdout=StringIO())
    call_command("import_content", str(PACK), stdout=StringIO())
    return ContentRelease.objects.get(label="v2.5.1")


@pytest.fixture
def team():
    organisation = make_organisation("Gemeente Voorbeeld")
    users = {role: make_user(role) for role in ("owner", "contributor", "approver")}
    for user in users.values():
        OrganisationMembership.objects.create(organisation=organisation, user=user)
    return organisation, users


def register(owner, organisation, release) -> Algorithm:
    response = ok(
        as_user(owner).post(
            reverse("algorithms:create"),
            {
                "name": "Vergunningcheck",
                "description": "Signaleert onvolledige vergunningaanvragen.",
                "organisation": organisation.pk,
                "release": release.pk,
                "phase": "implementatie",
                "stage": "pilot",
                "impactful": "on",  # an impactful algorithm that is not an AI system
            },
        )
    )
    algorithm = Algorithm.objects.get(name="Vergunningcheck")
    assert response["Location"] == algorithm.get_absolute_url()
    return algorithm


def codes(algorithm, **filters) -> set[str]:
    return set(
        algorithm.items.current()
        .filter(catalog_item__kind=CatalogItem.Kind.CRITERION, **filters)
        .values_list("catalog_item__code", flat=True)
    )


def run_pilot(algorithm, contributor) -> Pilot:
    client = as_user(contributor)
    slug = algorithm.slug
    ok(
        client.post(
            reverse("pilots:edit", args=[slug]),
            {
                "version": "",
                "start_date": "2026-01-05",
                "end_date": "2026-03-27",
                "max_cases": "300",
                "units": "Afdeling Vergunningen",
                "processes_production_data": "on",
                "legal_basis": "Wettelijke taak (art. 6 lid 1 sub e AVG); DPIA uitgevoerd",
                "legal_basis_url": "https://intranet.example/dpia/vergunningcheck",
                "participants": "Acht behandelaars van team Vergunningen",
                "agreements": "De behandelaar beslist altijd zelf; afwijkingen worden gemeld.",
                "criteria-TOTAL_FORMS": "2",
                "criteria-INITIAL_FORMS": "0",
                "criteria-0-name": "Doorlooptijd",
                "criteria-0-metric": "Werkdagen per aanvraag",
                "criteria-0-expected": "<= 10",
                "criteria-1-name": "Terechte signalen",
                "criteria-1-metric": "Aandeel terecht gesignaleerde aanvragen",
                "criteria-1-expected": ">= 80%",
            },
        )
    )
    pilot = Pilot.objects.get(algorithm=algorithm)
    data = {
        "version": str(pilot.version),
        "usability_findings": "Behandelaars begrijpen de signalen en werken er vlot mee.",
        "other_findings": "Twee signalen per week waren onduidelijk geformuleerd.",
    }
    for criterion, value in zip(pilot.criteria.all(), ("8", "86%"), strict=True):
        data[f"measured_{criterion.pk}"] = value
        data[f"met_{criterion.pk}"] = "ja"
    ok(client.post(reverse("pilots:evaluate", args=[slug]), data))
    pilot.refresh_from_db()
    assert pilot.evaluation.results.filter(met=True).count() == 2
    return pilot


def update_item(client, item: ChecklistItem, owner, status: str, justification: str = ""):
    item.refresh_from_db()
    return client.post(
        reverse("checklist:update", args=[item.algorithm.slug, item.pk]),
        {
            "status": status,
            "justification": justification,
            "owner": str(owner.pk),
            "due_date": "",
            "version": str(item.version),
        },
    )


def test_from_pilot_to_production_and_the_snapshot_holds(content, team):
    organisation, users = team
    owner, contributor, approver = users["owner"], users["contributor"], users["approver"]

    # 1. the owner registers the algorithm in implementatie / pilot and adds the team
    algorithm = register(owner, organisation, content)
    for role in ("contributor", "approver"):
        ok(
            as_user(owner).post(
                reverse("algorithms:member_add", args=[algorithm.slug]),
                {"user": users[role].pk, "role": role},
            )
        )
    assert codes(algorithm) == {f"pil-0{n}" for n in range(1, 8)}
    assert not codes(algorithm, catalog_item__code__in=GO_LIVE_CODES)

    # 2. pilot and evaluation, then the approver decides to implement
    pilot = run_pilot(algorithm, contributor)
    page = as_user(approver).get(reverse("pilots:detail", args=[algorithm.slug]))
    assert "Pilotbesluit vastleggen" in page.content.decode()
    refused = as_user(owner).post(
        reverse("pilots:decide", args=[algorithm.slug]),
        {"outcome": "implement", "rationale": "x", "pilot_version": str(pilot.version)},
    )
    assert refused.status_code == 403
    ok(
        as_user(approver).post(
            reverse("pilots:decide", args=[algorithm.slug]),
            {
                "outcome": "implement",
                "rationale": "Beide succescriteria gehaald; de gebruikers werken met de output.",
                "current": "",
                "pilot_version": str(pilot.version),
            },
        )
    )
    algorithm.refresh_from_db()
    assert (algorithm.phase, algorithm.stage) == ("implementatie", "production")
    pilot_decision = Decision.objects.get(algorithm=algorithm, gate=Decision.Gate.PILOT)
    assert pilot_decision.outcome == "implement"
    assert pilot_decision.snapshot_verifies()
    assert pilot_decision.snapshot["pilot"]["evaluation"]["other_findings"].startswith("Twee")

    # 3. the production checklist: the six go-live criteria, the pilot criteria retired
    assert codes(algorithm) == GO_LIVE_CODES
    checklist = as_user(contributor).get(reverse("checklist:list", args=[algorithm.slug]))
    assert checklist.status_code == 200
    readiness = go_live_readiness(algorithm)
    assert "affected-persons" in readiness.keys  # impactful: informing them is mandatory
    assert len(readiness.criteria) == 6

    # 4. work the checklist: one measure deferred with a residual risk, the rest done
    work = as_user(contributor)
    items = list(algorithm.items.current().select_related("catalog_item", "algorithm"))
    kinds = {i.catalog_item.kind for i in items}
    assert kinds == {"requirement", "measure", "criterion"}
    deferred = next(i for i in items if i.catalog_item.kind == CatalogItem.Kind.MEASURE)
    for item in items:
        if item == deferred:
            ok(
                update_item(
                    work,
                    item,
                    contributor,
                    "not_applicable",
                    "Uitgesteld tot na de eerste evaluatie in productie.",
                )
            )
            continue
        ok(update_item(work, item, contributor, "done"))
        ok(
            work.post(
                reverse("evidence:add", args=[algorithm.slug, item.pk]),
                {"kind": "note", "title": f"Dossier {item.catalog_item.code}", "note": "Zie map."},
            )
        )
    ok(
        work.post(
            reverse("risks:add", args=[algorithm.slug, deferred.pk]),
            {
                "description": "Zonder deze maatregel kan een fout later worden opgemerkt.",
                "likelihood": "2",
                "impact": "3",
                "mitigation": "Steekproef van tien zaken per week.",
                "owner": str(contributor.pk),
            },
        )
    )
    risk = ResidualRisk.objects.get(item=deferred)
    assert "risk:" + str(risk.pk) + ":unaccepted" in go_live_readiness(algorithm).keys
    denied = work.post(
        reverse("risks:accept", args=[algorithm.slug, risk.pk]), {"version": str(risk.version)}
    )
    assert denied.status_code == 403
    ok(
        as_user(approver).post(
            reverse("risks:accept", args=[algorithm.slug, risk.pk]),
            {"version": str(risk.version), "expires": ""},
        )
    )
    # 5. publish: impactful, so the go-live gate wants a current Algoritmeregister entry;
    # the contributor completes it, only the owner (or an approver) may export it
    assert go_live_readiness(algorithm).keys == {"register-entry"}
    ensure_standard()
    ok(
        work.post(
            reverse("register:save", args=[algorithm.slug]),
            entry_form_data(
                algorithm,
                contact_email="algoritmes@voorbeeldstad.nl",
                description_short="Controleert aanvragen op volledigheid.",
            ),
        )
    )
    assert work.post(reverse("register:export", args=[algorithm.slug])).status_code == 403
    ok(as_user(owner).post(reverse("register:export", args=[algorithm.slug])))
    assert go_live_readiness(algorithm).blockers == []
    gate = as_user(approver).get(reverse("gates:go_live", args=[algorithm.slug]))
    assert "Klaar voor go-live" in gate.content.decode()

    # 5. the approver records a go
    ok(
        as_user(approver).post(
            reverse("decisions:record", args=[algorithm.slug]),
            {
                "outcome": "go",
                "rationale": "Alle criteria zijn gereed; het restrisico is geaccepteerd.",
                "current": "",
                "voorwaarde-TOTAL_FORMS": "0",
                "voorwaarde-INITIAL_FORMS": "0",
            },
        )
    )
    go = Decision.objects.get(algorithm=algorithm, gate=Decision.Gate.GO_LIVE)
    assert go.outcome == "go"
    assert go.snapshot_verifies()
    frozen, frozen_hash = go.snapshot, go.snapshot_hash
    assert frozen["blockers"] == []
    assert frozen["pilot"]["id"] == pilot.pk

    # 6. an item changes afterwards: the stored snapshot stays as it was
    item = algorithm.items.current().get(catalog_item__code="gl-02")
    ok(update_item(work, item, contributor, "in_progress"))
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.IN_PROGRESS
    assert f"item:{item.pk}:not-done" in go_live_readiness(algorithm).keys

    stored = Decision.objects.get(pk=go.pk)
    assert stored.snapshot == frozen
    assert stored.snapshot_hash == frozen_hash
    assert stored.snapshot_verifies()
    [frozen_item] = [row for row in stored.snapshot["items"] if row["id"] == item.pk]
    assert frozen_item["status"] == "done"
    page = as_user(contributor).get(reverse("decisions:detail", args=[algorithm.slug, go.pk]))
    assert "hash klopt" in page.content.decode()
    assert "hash klopt NIET" not in page.content.decode()
    assert Decision.objects.get(pk=pilot_decision.pk).snapshot_verifies()
