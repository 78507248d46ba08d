"""Synthetic but realistic demo data for dashboards and benchmarks (``manage.py seed_demo``).

Built on the real content: every algorithm's checklist is what tracker.checklist.sync
says applies to its phase, stage and AI profile (evaluated once per distinct
combination), written in bulk. Deterministic: the same seed, count and day give the
same data. Decisions carry real frozen snapshots (tracker.decisions.snapshot.freeze);
every row written gets its audit entry through one chained bulk append (record_many).
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.trail import Pending, record_many
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.checklist.models import ChecklistItem
from tracker.checklist.sync import evaluate
from tracker.dashboards import seeding_data as data
from tracker.dashboards import seeding_outcomes as outcomes
from tracker.dashboards.seeding_outcomes import moment
from tracker.organisations.models import Organisation, OrganisationMembership

Status = ChecklistItem.Status
Stage = Algorithm.Stage
HISTORY_DAYS = 90


class SeedError(Exception):
    """The database is not ready for seeding (no content, or already seeded)."""


@dataclass
class Seeded:
    organisations: int = 0
    users: int = 0
    algorithms: int = 0
    items: int = 0
    evidence: int = 0
    risks: int = 0
    pilots: int = 0
    decisions: int = 0
    audit_entries: int = 0
    snapshots: int = 0

    def summary(self) -> str:
        return ", ".join(f"{name}={value}" for name, value in vars(self).items())


@dataclass
class _Team:
    organisation: Organisation
    manager: object
    members: list = field(default_factory=list)


class _Seeder:
    def __init__(self, count: int, seed: int, today: date, password: str):
        self.count, self.today, self.password = count, today, password
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.audit: list[Pending] = []
        self.done = Seeded()
        self.polished: set[int] = set()  # production algorithms with everything in order
        self.release = ContentRelease.latest()
        if self.release is None:
            raise SeedError(
                "no Algoritmekader release imported; run first: manage.py import_content "
                "../shared/algoritmekader/v2.5.1 (and manage.py import_content content)"
            )
        if Organisation.objects.filter(slug__in=[o[1] for o in data.ORGANISATIONS]).exists():
            raise SeedError("the demo organisations exist already: seed an empty database")

    def log(self, actor, obj, action: str, at: datetime, algorithm=None, changes=None, repr_=None):
        self.audit.append(Pending(actor, obj, action, changes or {}, algorithm, at, repr_))

    # --- organisations and people ---------------------------------------------------

    def teams(self) -> list[_Team]:
        users = get_user_model()
        hashed = make_password(self.password)
        organisations = Organisation.objects.bulk_create(
            Organisation(name=name, slug=slug) for name, slug, _ in data.ORGANISATIONS
        )
        teams, people = [], []
        for organisation in organisations:
            manager = users(
                username=f"manager-{organisation.slug}",
                first_name=self.rng.choice(data.FIRST_NAMES),
                last_name=self.rng.choice(data.LAST_NAMES),
                password=hashed,
            )
            team = _Team(organisation, manager)
            names = set()
            while len(team.members) < data.TEAM_SIZE:
                first, last = self.rng.choice(data.FIRST_NAMES), self.rng.choice(data.LAST_NAMES)
                if (first, last) in names:
                    continue
                names.add((first, last))
                username = f"{slugify(first)}.{slugify(last)}-{organisation.slug}"
                team.members.append(
                    users(username=username, first_name=first, last_name=last, password=hashed)
                )
            people += [manager, *team.members]
            teams.append(team)
        users.objects.bulk_create(people)
        OrganisationMembership.objects.bulk_create(
            OrganisationMembership(
                organisation=team.organisation, user=user, is_portfolio_viewer=user is team.manager
            )
            for team in teams
            for user in [team.manager, *team.members]
        )
        self.done.organisations, self.done.users = len(teams), len(people)
        return teams

    # --- algorithms -------------------------------------------------------------------

    def profile_fields(self) -> dict:
        """One of a dozen typical profiles (so the checklists are evaluated once per
        profile and phase, not once per algorithm)."""
        fields = dict(data.weighted(self.rng, data.PROFILES))
        if fields.get("rol_ai_act"):
            fields["rol_ai_act"] = list(fields["rol_ai_act"])
        return fields

    def algorithms(self, teams: list[_Team]) -> list[Algorithm]:
        rng, names, rows = self.rng, defaultdict(int), []
        weights = [weight for _, _, weight in data.ORGANISATIONS]
        for n in range(1, self.count + 1):
            team = rng.choices(teams, weights=weights)[0]
            base = f"{rng.choice(data.KINDS)} {rng.choice(data.DOMAINS)}"
            names[base] += 1
            name = base if names[base] == 1 else f"{base} {names[base]}"
            phase, stage = data.weighted(rng, data.PHASES)
            rows.append(
                Algorithm(
                    name=name,
                    slug=f"{slugify(name)[:80]}-{n}",
                    description=f"{name}: {rng.choice(data.PURPOSES)}",
                    organisation=team.organisation,
                    phase=phase,
                    stage=stage,
                    release=self.release,
                    **self.profile_fields(),
                )
            )
        created = Algorithm.objects.bulk_create(rows, batch_size=500)
        self.done.algorithms = len(created)
        return created

    def memberships(self, algorithms: list[Algorithm], teams: list[_Team]) -> dict[int, dict]:
        """Per algorithm an owner, an approver, two contributors and a viewer."""
        by_org = {team.organisation.pk: team for team in teams}
        roles = ("owner", "approver", "contributor", "contributor", "viewer")
        members: dict[int, dict] = {}
        rows = []
        for algorithm in algorithms:
            people = self.rng.sample(by_org[algorithm.organisation_id].members, len(roles))
            members[algorithm.pk] = {
                "owner": people[0],
                "approver": people[1],
                "workers": people[:4],
                "team": by_org[algorithm.organisation_id],
            }
            rows += [
                Membership(algorithm=algorithm, user=user, role=role)
                for user, role in zip(people, roles, strict=True)
            ]
        Membership.objects.bulk_create(rows, batch_size=1000)
        return members

    # --- checklists ---------------------------------------------------------------------

    def checklist(self, algorithms: list[Algorithm], members: dict[int, dict]):
        evaluations: dict = {}
        items: list[ChecklistItem] = []
        plans = []  # (item, status, started, evidence?) for the audit and evidence
        for algorithm in algorithms:
            key = (algorithm.phase, algorithm.stage, algorithm.profile())
            if key not in evaluations:
                evaluations[key] = evaluate(
                    algorithm, phase=key[0], stage=key[1], profile=key[2]
                ).applicable
            crew = members[algorithm.pk]
            maturity = data.MATURITY[(algorithm.phase, algorithm.stage)]
            polished = algorithm.stage == Stage.PRODUCTION and self.rng.random() < 0.3
            started = self.today - timedelta(days=self.rng.randint(100, 400))
            if polished:
                self.polished.add(algorithm.pk)
            for judged in evaluations[key]:
                status, owner, due, justification = self.item_state(
                    judged.item, maturity, polished, crew["workers"]
                )
                item = ChecklistItem(
                    algorithm=algorithm,
                    catalog_item=judged.item,
                    reasons=list(judged.reasons),
                    origin_phase=judged.origin,
                    status=status,
                    owner=owner,
                    due_date=due,
                    justification=justification,
                )
                items.append(item)
                plans.append((item, started, polished))
        ChecklistItem.objects.bulk_create(items, batch_size=1000)
        self.done.items = len(items)
        for item, started, _ in plans:
            algorithm = item.algorithm
            owner = members[algorithm.pk]["owner"]
            self.log(
                owner,
                item,
                "item_added",
                moment(started, self.rng),
                algorithm,
                {"reasons": [None, [r["text"] for r in item.reasons]]},
            )
            if item.status != Status.OPEN:
                when = moment(started + timedelta(days=self.rng.randint(1, 90)), self.rng)
                actor = item.owner or owner
                self.log(actor, item, "update", when, algorithm, {"status": ["open", item.status]})
        return plans

    def item_state(self, catalog_item, maturity: float, polished: bool, workers: list):
        rng = self.rng
        owner = rng.choice(workers) if polished or rng.random() < 0.85 else None
        roll = rng.random()
        if polished or roll < maturity:
            status = Status.DONE
        elif roll < maturity + 0.06:
            status = Status.NOT_APPLICABLE
        elif roll < maturity + 0.25:
            status = Status.IN_PROGRESS
        else:
            status = Status.OPEN
        if catalog_item.kind == CatalogItem.Kind.MEASURE and polished and rng.random() < 0.1:
            status = Status.NOT_APPLICABLE  # consciously deferred: gets an accepted risk
        justification = rng.choice(data.JUSTIFICATIONS) if status == Status.NOT_APPLICABLE else ""
        due = None
        if status in (Status.OPEN, Status.IN_PROGRESS) and rng.random() < 0.7:
            due = self.today + timedelta(days=rng.randint(-30, 90))
        return status, owner, due, justification

    def run(self) -> Seeded:
        teams = self.teams()
        algorithms = self.algorithms(teams)
        members = self.memberships(algorithms, teams)
        for algorithm in algorithms:
            owner = members[algorithm.pk]["owner"]
            created = moment(self.today - timedelta(days=self.rng.randint(100, 400)), self.rng)
            self.log(
                owner, algorithm, "create", created, algorithm, {"name": [None, algorithm.name]}
            )
        plans = self.checklist(algorithms, members)
        outcomes.evidence_and_risks(self, plans, members)
        outcomes.pilots_and_decisions(self, algorithms, members)
        self.audit.sort(key=lambda pending: pending.at)
        self.done.audit_entries = record_many(self.audit)
        outcomes.history(self, algorithms)
        return self.done


def seed_demo(count: int, seed: int = 1, today: date | None = None, password: str = "") -> Seeded:
    """Seed ``count`` algorithms with everything around them, in one transaction."""
    with transaction.atomic():
        seeder = _Seeder(count, seed, today or timezone.localdate(), password or data.PASSWORD)
        return seeder.run()
