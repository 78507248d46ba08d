"""What the demo teams produced: evidence, residual risks, pilots, decisions with frozen
snapshots, and the readiness history. Part of ``tracker.dashboards.seeding``."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem
from tracker.catalog.phases import Phase
from tracker.checklist.models import ChecklistItem
from tracker.dashboards import seeding_data as data
from tracker.dashboards.models import ReadinessSnapshot
from tracker.dashboards.snapshots import snapshot_readiness
from tracker.decisions.models import Decision
from tracker.decisions.snapshot import freeze
from tracker.evidence.models import Evidence
from tracker.pilots.models import Pilot
from tracker.risks.models import ResidualRisk

Status = ChecklistItem.Status
Stage = Algorithm.Stage
HISTORY_DAYS = 90


def moment(day, rng) -> datetime:
    """An aware time during office hours on ``day``."""
    clock = time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, clock))


def evidence_and_risks(seeder, plans, members: dict[int, dict]) -> None:
    rng, evidence, risks = seeder.rng, [], []
    for item, started, polished in plans:
        algorithm, crew = item.algorithm, members[item.algorithm.pk]
        added = moment(started + timedelta(days=rng.randint(2, 95)), rng)
        if item.status == Status.DONE and (polished or rng.random() < 0.9):
            title, kind = rng.choice(data.EVIDENCE)
            evidence.append(
                Evidence(
                    item=item,
                    kind=kind,
                    title=title,
                    url=f"https://intranet.example.nl/dossiers/{algorithm.slug}/{item.pk}"
                    if kind == Evidence.Kind.URL
                    else "",
                    note=data.EVIDENCE_NOTE if kind == Evidence.Kind.NOTE else "",
                    added_by=item.owner or crew["owner"],
                    added_at=added,
                )
            )
        deferred = item.status == Status.NOT_APPLICABLE and (
            item.catalog_item.kind == CatalogItem.Kind.MEASURE
        )
        if deferred or rng.random() < 0.08:
            accepted = polished or deferred or rng.random() < 0.55
            accepted_at = moment(added.date() + timedelta(days=rng.randint(1, 20)), rng)
            expires = None
            if accepted and not polished and rng.random() < 0.1:
                expires = seeder.today - timedelta(days=rng.randint(1, 60))  # expired
            risks.append(
                ResidualRisk(
                    item=item,
                    description=rng.choice(data.RISKS),
                    likelihood=data.weighted(rng, data.SCALE),
                    impact=data.weighted(rng, data.SCALE),
                    mitigation=rng.choice(data.MITIGATIONS),
                    owner=item.owner or crew["owner"],
                    created_by=item.owner or crew["owner"],
                    created_at=added,
                    accepted_by=crew["approver"] if accepted else None,
                    accepted_at=min(accepted_at, timezone.now()) if accepted else None,
                    acceptance_expires=expires,
                )
            )
    Evidence.objects.bulk_create(evidence, batch_size=1000)
    ResidualRisk.objects.bulk_create(risks, batch_size=1000)
    for row in evidence:
        seeder.log(
            row.added_by,
            row,
            "create",
            row.added_at,
            row.item.algorithm,
            {"title": [None, row.title]},
        )
    for risk in risks:
        algorithm = risk.item.algorithm
        changes = {"likelihood": [None, risk.likelihood], "impact": [None, risk.impact]}
        seeder.log(risk.created_by, risk, "create", risk.created_at, algorithm, changes)
        if risk.accepted_at:
            accepted = {"accepted_at": [None, risk.accepted_at]}
            seeder.log(risk.accepted_by, risk, "accept", risk.accepted_at, algorithm, accepted)
    seeder.done.evidence, seeder.done.risks = len(evidence), len(risks)


# --- pilots and decisions ----------------------------------------------------------


def pilots_and_decisions(seeder, algorithms: list[Algorithm], members: dict[int, dict]) -> None:
    rng, pilots, decisions = seeder.rng, [], 0
    for algorithm in algorithms:
        crew = members[algorithm.pk]
        if algorithm.stage == Stage.PILOT:
            start = seeder.today - timedelta(days=rng.randint(5, 150))
        elif algorithm.stage == Stage.PRODUCTION or algorithm.phase == Phase.MONITORING:
            start = seeder.today - timedelta(days=rng.randint(150, 420))
        else:
            continue
        pilot = Pilot(
            algorithm=algorithm,
            start_date=start,
            end_date=start + timedelta(days=90),
            max_cases=rng.choice([200, 500, 1000, None]),
            units=rng.choice(data.UNITS),
            legal_basis=data.LEGAL_BASIS,
            participants=f"{rng.randint(4, 20)} medewerkers van {rng.choice(data.UNITS)}",
            agreements=data.AGREEMENTS,
            created_by=crew["owner"],
            created_at=moment(start - timedelta(days=7), rng),
        )
        pilots.append(pilot)
    Pilot.objects.bulk_create(pilots, batch_size=1000)
    for pilot in pilots:
        algorithm = pilot.algorithm
        seeder.log(pilot.created_by, pilot, "create", pilot.created_at, algorithm)
        approver = members[algorithm.pk]["approver"]
        steps = []
        if algorithm.stage != Stage.PILOT:
            steps.append((Decision.Gate.PILOT, Decision.Outcome.IMPLEMENT, pilot.end_date))
            outcome = (
                Decision.Outcome.GO
                if algorithm.pk in seeder.polished
                else rng.choice(
                    [Decision.Outcome.GO, Decision.Outcome.CONDITIONAL, Decision.Outcome.NO_GO]
                )
            )
            if outcome != Decision.Outcome.CONDITIONAL:  # conditions need their own rows
                steps.append((Decision.Gate.GO_LIVE, outcome, pilot.end_date + timedelta(14)))
        elif rng.random() < 0.25 and pilot.start_date < seeder.today - timedelta(days=30):
            steps.append(
                (Decision.Gate.PILOT, Decision.Outcome.DEVELOP, seeder.today - timedelta(3))
            )
        frozen = freeze(algorithm) if steps else None  # nothing changes between the steps
        for gate, outcome, day in steps:
            at = moment(min(day, seeder.today), rng)
            decide(seeder, algorithm, approver, gate, outcome, at, frozen)
            decisions += 1
    seeder.done.pilots, seeder.done.decisions = len(pilots), decisions


def decide(seeder, algorithm, approver, gate, outcome, at: datetime, frozen) -> None:
    """A decision with the algorithm's frozen state (``freeze()``'s snapshot), dated and
    hashed at the decision's own moment."""
    decided_at = min(at, timezone.now())
    snapshot = {**frozen[0], "taken_at": decided_at.astimezone(UTC).isoformat()}
    snapshot_hash = Decision.hash_snapshot(snapshot)
    decision = Decision.objects.create(
        algorithm=algorithm,
        gate=gate,
        outcome=outcome,
        rationale=data.RATIONALES[outcome],
        decided_by=approver,
        decided_at=decided_at,
        snapshot=snapshot,
        snapshot_hash=snapshot_hash,
    )
    changes = {
        "gate": [None, gate],
        "outcome": [None, outcome],
        "snapshot_hash": [None, snapshot_hash],
    }
    seeder.log(approver, decision, "create", decision.decided_at, algorithm, changes)


# --- history ---------------------------------------------------------------------------


def history(seeder, algorithms: list[Algorithm]) -> None:
    """Today's snapshot from the real figures; the 89 days before it a plausible
    climb towards them (demo data: no real past exists for seeded algorithms)."""
    snapshot_readiness(Algorithm.objects.filter(pk__in=[a.pk for a in algorithms]), seeder.today)
    latest = ReadinessSnapshot.objects.filter(date=seeder.today, algorithm__in=algorithms)
    rows = []
    for now in latest:
        pace = seeder.rng.uniform(0.1, 0.6)
        for back in range(1, HISTORY_DAYS):
            share = max(0.0, 1 - pace * back / HISTORY_DAYS)
            ready = int(now.ready * share)
            req_ready = min(int(now.requirements_ready * share), now.requirements_applicable)
            rows.append(
                ReadinessSnapshot(
                    algorithm_id=now.algorithm_id,
                    date=seeder.today - timedelta(days=back),
                    applicable=now.applicable,
                    ready=ready,
                    requirements_applicable=now.requirements_applicable,
                    requirements_ready=req_ready,
                    blockers=now.blockers + (now.ready - ready),
                    overdue=now.overdue,
                    unaccepted_risks=now.unaccepted_risks,
                )
            )
    ReadinessSnapshot.objects.bulk_create(rows, batch_size=2000)  # days without rows yet
    seeder.done.snapshots = len(rows) + latest.count()
