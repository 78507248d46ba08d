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
from tracker.decisions.models import Decision, DecisionCondition
from tracker.decisions.snapshot import freeze
from tracker.evidence.models import Evidence
from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion
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
    """A pilot with success criteria for every algorithm in or past the pilot stage; for
    those past it an evaluation (criteria met), the pilot decision *implement* and the
    go-live decision the gate allowed when it was taken: a go without blockers, else a
    go onder voorwaarden covering every blocker or a no-go. Running pilots have no
    decision (a decision would have moved them out of the pilot stage)."""
    rng, pilots = seeder.rng, []
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
            other_limit="" if rng.random() < 0.5 else "Alleen zaken van één team.",
            units=rng.choice(data.UNITS),
            legal_basis=data.LEGAL_BASIS,
            participants=f"{rng.randint(4, 20)} medewerkers van {rng.choice(data.UNITS)}",
            agreements=data.AGREEMENTS,
            created_by=crew["owner"],
            created_at=moment(start - timedelta(days=7), rng),
        )
        if pilot.max_cases is None and not pilot.other_limit:
            pilot.other_limit = "Alleen zaken van één team."
        pilots.append(pilot)
    Pilot.objects.bulk_create(pilots, batch_size=1000)
    criteria = _criteria(pilots)
    decided = [pilot for pilot in pilots if pilot.algorithm.stage != Stage.PILOT]
    _evaluations(seeder, decided, criteria, members)
    for pilot in pilots:
        seeder.log(pilot.created_by, pilot, "create", pilot.created_at, pilot.algorithm)
    decisions = 0
    for pilot in decided:
        algorithm = pilot.algorithm
        approver = members[algorithm.pk]["approver"]
        snapshot, _ = freeze(algorithm)  # the state now; nothing changes between the steps
        if algorithm.phase == Phase.MONITORING:  # went live in implementatie, production
            live = {"phase": Phase.IMPLEMENTATIE, "stage": Stage.PRODUCTION}
            snapshot["algorithm"] = {**snapshot["algorithm"], **live}
            snapshot["blockers"] = [b for b in snapshot["blockers"] if b["category"] != "stage"]
        blockers = snapshot["blockers"]
        at = moment(min(pilot.end_date + timedelta(days=3), seeder.today), rng)
        as_piloted = {**snapshot["algorithm"], "phase": Phase.IMPLEMENTATIE, "stage": Stage.PILOT}
        decide(
            seeder,
            algorithm,
            approver,
            Decision.Gate.PILOT,
            Decision.Outcome.IMPLEMENT,
            at,
            {**snapshot, "algorithm": as_piloted},
            pilot=pilot,
        )
        if blockers:
            outcome = rng.choice([Decision.Outcome.CONDITIONAL, Decision.Outcome.NO_GO])
        else:
            outcome = Decision.Outcome.GO
        at = moment(min(pilot.end_date + timedelta(days=17), seeder.today), rng) + timedelta(
            hours=1
        )
        decision = decide(seeder, algorithm, approver, Decision.Gate.GO_LIVE, outcome, at, snapshot)
        if outcome == Decision.Outcome.CONDITIONAL:
            _conditions(seeder, decision, blockers, members[algorithm.pk]["owner"])
        decisions += 2
    seeder.done.pilots, seeder.done.decisions = len(pilots), decisions


def _criteria(pilots: list[Pilot]) -> dict[int, list[SuccessCriterion]]:
    rows = [
        SuccessCriterion(
            pilot=pilot, position=position, name=name, metric=metric, expected=expected
        )
        for pilot in pilots
        for position, (name, metric, expected) in enumerate(data.CRITERIA, start=1)
    ]
    SuccessCriterion.objects.bulk_create(rows, batch_size=1000)
    by_pilot: dict[int, list[SuccessCriterion]] = {}
    for row in rows:
        by_pilot.setdefault(row.pilot_id, []).append(row)
    return by_pilot


def _evaluations(seeder, pilots: list[Pilot], criteria, members) -> None:
    """Every criterion met, evaluated the day after the pilot's end."""
    evaluations = [
        PilotEvaluation(
            pilot=pilot,
            usability_findings=data.FINDINGS,
            evaluated_by=members[pilot.algorithm.pk]["owner"],
            evaluated_at=moment(min(pilot.end_date + timedelta(days=1), seeder.today), seeder.rng),
        )
        for pilot in pilots
    ]
    PilotEvaluation.objects.bulk_create(evaluations, batch_size=1000)
    results = [
        CriterionResult(evaluation=evaluation, criterion=criterion, measured_value=value, met=True)
        for evaluation in evaluations
        for criterion, value in zip(criteria[evaluation.pilot_id], data.MEASURED, strict=True)
    ]
    CriterionResult.objects.bulk_create(results, batch_size=1000)
    for evaluation in evaluations:
        algorithm = evaluation.pilot.algorithm
        seeder.log(
            evaluation.evaluated_by, evaluation, "create", evaluation.evaluated_at, algorithm
        )


def _conditions(seeder, decision: Decision, blockers: list[dict], owner) -> None:
    due = timezone.localtime(decision.decided_at).date() + timedelta(days=60)
    rows = [
        DecisionCondition(
            decision=decision,
            blocker_key=blocker["key"],
            blocker_label=blocker["label"][:300],
            description=f"Oplossen: {blocker['label']}",
            owner=owner,
            due_date=due,
        )
        for blocker in blockers
    ]
    DecisionCondition.objects.bulk_create(rows, batch_size=1000)
    for row in rows:
        changes = {"blocker_key": [None, row.blocker_key], "due_date": [None, row.due_date]}
        seeder.log(
            decision.decided_by, row, "create", decision.decided_at, decision.algorithm, changes
        )


def decide(seeder, algorithm, approver, gate, outcome, at: datetime, snapshot, pilot=None):
    """A decision with the algorithm's frozen state (``freeze()``'s snapshot), dated and
    hashed at the decision's own moment."""
    decided_at = min(at, timezone.now())
    snapshot = {**snapshot, "taken_at": decided_at.astimezone(UTC).isoformat()}
    snapshot_hash = Decision.hash_snapshot(snapshot)
    decision = Decision.objects.create(
        algorithm=algorithm,
        gate=gate,
        outcome=outcome,
        rationale=data.RATIONALES[outcome],
        decided_by=approver,
        decided_at=decided_at,
        pilot=pilot,
        snapshot=snapshot,
        snapshot_hash=snapshot_hash,
    )
    changes = {
        "gate": [None, gate],
        "outcome": [None, outcome],
        "snapshot_hash": [None, snapshot_hash],
    }
    seeder.log(approver, decision, "create", decision.decided_at, algorithm, changes)
    return decision


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
