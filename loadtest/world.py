"""The database side of the load test (run in the orchestrating process, django.setup()
done): seed the users and algorithms, and afterwards check that no write was lost."""

import secrets
from collections import defaultdict
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db.models import Q

from loadtest.client import Plan, Stats
from tracker.algorithms.members import add_member
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.models import AuditEntry
from tracker.catalog.models import ContentRelease
from tracker.catalog.phases import Phase
from tracker.checklist.models import ChecklistItem, Comment
from tracker.checklist.profile import create_algorithm
from tracker.evidence.models import Evidence
from tracker.organisations.models import Organisation, OrganisationMembership

PASSWORD = secrets.token_urlsafe(16)  # per run: these users never outlive it
ALGORITHMS = 4
HOT_ITEMS = 6  # items per algorithm the contributors share (so that some saves collide)


def seed(users: int, managers: int) -> tuple[list[Plan], str]:
    """``users`` users of which ``managers`` portfolio readers; the rest contributors,
    spread over the algorithms. Returns their plans and the slug of the first algorithm."""
    model = get_user_model()
    organisation = Organisation.objects.create(name="Belastingstad", slug="belastingstad")
    release = ContentRelease.latest()
    owner = model.objects.create_user("eigenaar", password=PASSWORD)
    OrganisationMembership.objects.create(
        organisation=organisation, user=owner, is_portfolio_viewer=True
    )
    algorithms = []
    for n in range(ALGORITHMS):
        values = {
            "name": f"Belastingtest {n + 1}",
            "description": "Algoritme voor de belastingtest.",
            "phase": Phase.IMPLEMENTATIE,
            "stage": Algorithm.Stage.PILOT,
            "impactful": True,
            "organisation": organisation,
            "release": release,
        }
        algorithms.append(create_algorithm(actor=owner, values=values))
    plans = []
    for n in range(users):
        manager = n < managers
        username = f"{'manager' if manager else 'medewerker'}{n + 1:02d}"
        user = model.objects.create_user(username, password=PASSWORD)
        OrganisationMembership.objects.create(
            organisation=organisation, user=user, is_portfolio_viewer=manager
        )
        algorithm = algorithms[n % ALGORITHMS]
        role = Membership.Role.VIEWER if manager else Membership.Role.CONTRIBUTOR
        add_member(algorithm, actor=owner, user=user, role=role)
        items = list(algorithm.items.order_by("pk").values_list("pk", flat=True)[:HOT_ITEMS])
        plans.append(
            Plan(
                username,
                PASSWORD,
                "manager" if manager else "contributor",
                algorithm.slug,
                items,
                seed=n,
            )
        )
    return plans, algorithms[0].slug


def _moves(entries) -> list[tuple[int, int]]:
    return [
        tuple(e.changes["version"]) for e in entries if isinstance(e.changes.get("version"), list)
    ]


def check_writes(stats: Stats) -> list[str]:
    """Every accepted write is in the database and in the audit trail, every item's
    versions form one unbroken chain, every 409 answered a form that really was stale."""
    problems: list[str] = []
    items = {u["item"] for u in stats.updates} | {s["item"] for s in stats.stale}
    by_item = defaultdict(list)
    for entry in AuditEntry.objects.filter(
        object_type="tracker.checklistitem", object_id__in=[str(pk) for pk in items]
    ).order_by("seq"):
        by_item[int(entry.object_id)].append(entry)
    for pk in items:
        item = ChecklistItem.objects.get(pk=pk)
        moves = _moves(by_item[pk])
        expected = [(v, v + 1) for v in range(1, item.version)]
        if sorted(moves) != expected:
            problems.append(
                f"item {pk}: version moves {moves}, expected 1..{item.version} once each"
            )
        for name in ("status", "owner"):
            last = next((e for e in reversed(by_item[pk]) if name in e.changes), None)
            if last is not None and name == "status" and last.changes[name][1] != item.status:
                problems.append(
                    f"item {pk}: status {item.status} but the trail says {last.changes[name][1]}"
                )
    for update in stats.updates:
        move = (update["version"], update["version"] + 1)
        found = [
            e
            for e in by_item[update["item"]]
            if _moves([e]) == [move] and e.actor_name == update["user"]
        ]
        if len(found) != 1:
            problems.append(f"lost write: {update} ({len(found)} entries)")
        elif "status" in update["changes"] and (
            found[0].changes.get("status", [None, None])[1] != update["changes"]["status"]
        ):
            problems.append(f"write saved without its status: {update}")
    for stale in stats.stale:
        moved = [
            e
            for e in by_item[stale["item"]]
            if _moves([e])
            and _moves([e])[0][0] >= stale["version"]
            and e.at <= datetime.fromtimestamp(stale["at"], UTC)
        ]
        if not moved:
            problems.append(f"409 on a form that was not stale: {stale}")
    tokens = defaultdict(set)
    for row in stats.created:
        tokens[row["what"]].add(row["token"])
    comment_q, evidence_q = Q(pk__in=[]), Q(pk__in=[])
    for token in tokens["comment"]:
        comment_q |= Q(body__endswith=token)
    for token in tokens["evidence"]:
        evidence_q |= Q(title__endswith=token)
    comments = (
        {c.body.rsplit(" ", 1)[-1]: c.pk for c in Comment.objects.filter(comment_q)}
        if tokens["comment"]
        else {}
    )
    evidence = (
        {e.title.rsplit(" ", 1)[-1]: e.pk for e in Evidence.objects.filter(evidence_q)}
        if tokens["evidence"]
        else {}
    )
    for what, found, label in (
        ("comment", comments, "tracker.comment"),
        ("evidence", evidence, "tracker.evidence"),
    ):
        missing = tokens[what] - set(found)
        if missing:
            problems.append(f"lost {what}s: {sorted(missing)[:5]} ({len(missing)})")
        audited = set(
            AuditEntry.objects.filter(
                object_type=label, object_id__in=[str(pk) for pk in found.values()]
            ).values_list("object_id", flat=True)
        )
        unaudited = [t for t, pk in found.items() if str(pk) not in audited]
        if unaudited:
            problems.append(f"{what}s without an audit entry: {unaudited[:5]} ({len(unaudited)})")
    return problems
