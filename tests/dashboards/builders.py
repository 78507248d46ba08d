"""A small hand-made portfolio whose figures are known, and a quick bulk builder."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from tests.gates.helpers import settle
from tests.world import (
    add_member,
    make_algorithm,
    make_catalog_item,
    make_checklist_item,
    make_current_register_entry,
    make_evidence,
    make_go_live_criteria,
    make_organisation,
    make_release,
    make_risk,
    make_user,
)
from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.decisions.actions import record_decision
from tracker.decisions.models import Decision
from tracker.organisations.models import OrganisationMembership
from tracker.pilots.models import Pilot

Status = ChecklistItem.Status
REQUIREMENT, MEASURE = CatalogItem.Kind.REQUIREMENT, CatalogItem.Kind.MEASURE


def make_pilot(algorithm: Algorithm, user, days_ago: int) -> Pilot:
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    return Pilot.objects.create(
        algorithm=algorithm,
        start_date=start,
        end_date=start + datetime.timedelta(days=90),
        units="Team Toeslagen",
        legal_basis="AVG art. 6 lid 1 sub e",
        participants="Tien behandelaars",
        agreements="Elke uitkomst wordt door een behandelaar gecontroleerd.",
        created_by=user,
    )


@dataclass
class Portfolio:
    """Organisation "Gemeente Noord" with four algorithms and known figures; an algorithm of
    another organisation; a manager (portfolio viewer of Noord) and a member of one."""

    alpha: Algorithm
    beta: Algorithm
    gamma: Algorithm
    delta: Algorithm
    other: Algorithm
    manager: object
    member: object
    approver: object
    expected: dict = field(default_factory=dict)


def make_portfolio() -> Portfolio:
    today = timezone.localdate()
    north, south = make_organisation("Gemeente Noord"), make_organisation("Provincie Zuid")
    release = make_release()
    manager, member, approver = make_user("manager"), make_user("lid"), make_user("akkoord")
    OrganisationMembership.objects.create(
        organisation=north, user=manager, is_portfolio_viewer=True
    )

    # Alpha: in production, impactful, all criteria met; one measure open, overdue, no owner.
    alpha = make_algorithm(
        north, release, name="Alpha", stage=Algorithm.Stage.PRODUCTION, impactful=True
    )
    add_member(alpha, member, "contributor")
    add_member(alpha, approver, "approver")
    for item in make_go_live_criteria(alpha).values():
        settle(item, member)
    requirement = make_checklist_item(alpha, make_catalog_item(release, kind=REQUIREMENT))
    settle(requirement, member)
    deferred = make_checklist_item(
        alpha,
        status=Status.NOT_APPLICABLE,
        justification="Uitgesteld tot de volgende release.",
        owner=member,
    )
    make_risk(deferred, member, accepted_by=approver, likelihood=2, impact=2)
    make_checklist_item(alpha, due_date=today - datetime.timedelta(days=3))  # open, no owner
    make_current_register_entry(alpha, member)  # impactful: its register entry is exported

    # Beta: in pilot for 40 days without a decision; no criteria on its list.
    beta = make_algorithm(north, release, name="Beta", stage=Algorithm.Stage.PILOT)
    add_member(beta, approver, "approver")
    make_checklist_item(
        beta, make_catalog_item(release, kind=REQUIREMENT), owner=approver, status=Status.OPEN
    )
    make_checklist_item(
        beta,
        make_catalog_item(release, kind=REQUIREMENT),
        owner=approver,
        status=Status.NOT_APPLICABLE,
        justification="Geen persoonsgegevens.",
    )
    done_measure = make_checklist_item(beta, owner=approver, status=Status.DONE)  # no evidence
    make_risk(done_measure, approver, likelihood=5, impact=4)  # not accepted
    make_risk(done_measure, approver, likelihood=5, impact=4, accepted_by=approver)
    make_pilot(beta, approver, days_ago=40)

    # Gamma: in pilot for 10 days, high-risk AI; an empty checklist.
    gamma = make_algorithm(
        north,
        release,
        name="Gamma",
        stage=Algorithm.Stage.PILOT,
        is_ai_system=True,
        soort_toepassing="ai-systeem",
        risicogroep="hoog-risico-ai-systeem",
    )
    make_pilot(gamma, approver, days_ago=10)

    # Delta: in phase ontwerp, with a pilot decision recorded (and a retired item).
    delta = make_algorithm(north, release, name="Delta", phase="ontwerp", stage="")
    retired = make_checklist_item(delta, owner=None, retired_at=timezone.now())
    make_risk(retired, approver, likelihood=5, impact=5)  # on a retired item: never counts
    make_checklist_item(delta, owner=approver, status=Status.IN_PROGRESS)
    record_decision(
        delta, approver, gate=Decision.Gate.PILOT, outcome="develop", rationale="Eerst herontwerp."
    )

    other = make_algorithm(south, release, name="Omega", stage=Algorithm.Stage.PILOT)
    make_checklist_item(other)
    make_evidence(requirement, member)  # a second piece of evidence changes nothing

    expected = {
        # name: (ready, total, req ready, req total, blockers, overdue, unaccepted)
        "Alpha": (8, 9, 1, 1, 2, 1, 0),
        # stage 1 + 6 criteria missing + requirement open 1 + no evidence 1 + risk 1
        "Beta": (2, 3, 1, 2, 10, 0, 1),
        # stage 1 + 6 criteria missing + no register entry (high-risk AI) 1
        "Gamma": (0, 0, 0, 0, 8, 0, 0),
        # stage 1 + 6 criteria + measure in progress 1
        "Delta": (0, 1, 0, 0, 8, 0, 0),
    }
    return Portfolio(alpha, beta, gamma, delta, other, manager, member, approver, expected)


def make_many(count: int, items_per_algorithm: int = 3):
    """``count`` algorithms of one organisation with a few items, risks and a pilot each;
    returns (organisation, manager)."""
    organisation = make_organisation(f"Gemeente Veel {count}")
    release = make_release()
    manager = make_user(f"manager{count}")
    OrganisationMembership.objects.create(
        organisation=organisation, user=manager, is_portfolio_viewer=True
    )
    catalog = [make_catalog_item(release) for _ in range(items_per_algorithm)]
    for n in range(count):
        algorithm = make_algorithm(organisation, release, name=f"Algoritme {n:04d}")
        for m, catalog_item in enumerate(catalog):
            item = make_checklist_item(
                algorithm, catalog_item, status=Status.DONE if m % 2 else Status.OPEN
            )
            if m == 0:
                make_risk(item, manager)
        make_pilot(algorithm, manager, days_ago=n % 60)
    return organisation, manager
