"""One algorithm's demo story, told through the app's own domain actions.

A ``Story`` holds the algorithm and its team; each method is one thing a person does in
the app (register, work the checklist, run and evaluate a pilot, decide), calling the
same action the view behind that button calls, so each state the demo reaches is one
the app allows: a refused action stops the seeding. ``Timeline`` runs the steps of all
stories in the order of their moments, each with Django's clock frozen at its moment
(tracker.demo.clock), so the audit trail runs forward in time and every recorded date
(a decision's date, its snapshot's, the gate's "today") is the step's own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tracker.algorithms.actions import PROFILE_FIELDS
from tracker.algorithms.members import add_member
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit import trail
from tracker.catalog.models import ContentRelease
from tracker.catalog.phases import Phase
from tracker.checklist.actions import update_item
from tracker.checklist.models import ChecklistItem
from tracker.checklist.profile import change_profile, create_algorithm
from tracker.decisions.actions import ConditionSpec, record_go_live_decision
from tracker.decisions.models import Decision
from tracker.demo.clock import frozen_clock
from tracker.evidence.actions import add_note, add_url
from tracker.gates.readiness import go_live_readiness
from tracker.pilots.actions import CriterionSpec, save_evaluation, save_pilot
from tracker.pilots.decision import record_pilot_decision
from tracker.risks.actions import accept_risk, add_risk

Status = ChecklistItem.Status
Outcome = Decision.Outcome

# What an approver writes, per outcome: the reasons agree with the decision.
RATIONALES = {
    Outcome.IMPLEMENT: "De pilot heeft de succescriteria gehaald en de gebruikers kunnen met "
    "de uitkomst werken; het algoritme gaat naar productie.",
    Outcome.DEVELOP: "Nog onvoldoende zicht op de prestaties: niet elk succescriterium is "
    "gehaald. Eerst verder ontwikkelen en dan opnieuw een pilot.",
    Outcome.PHASE_OUT: "De pilot laat zien dat het algoritme niet oplevert wat nodig is; "
    "het wordt uitgefaseerd.",
    Outcome.GO: "Alle vereisten en maatregelen zijn gereed met bewijs, de go-livecriteria zijn "
    "gehaald en de restrisico's zijn geaccepteerd.",
    Outcome.CONDITIONAL: "De pilot is positief; de open punten zijn als voorwaarden belegd, "
    "elk met een eigenaar en een deadline.",
    Outcome.NO_GO: "Nog te veel open vereisten en maatregelen om verantwoord live te gaan; "
    "eerst de blokkades oplossen.",
}
EVIDENCE_NOTES = (
    ("Verslag van de toets door de privacy officer", "Besproken in het teamoverleg."),
    ("Besluit van de stuurgroep", "Vastgelegd in het projectdossier."),
)
EVIDENCE_LINKS = (
    ("DPIA, vastgesteld", "dpia"),
    ("Werkinstructie voor behandelaars", "werkinstructie"),
    ("Validatierapport testset", "validatie"),
)
DUE_IN_DAYS = 30  # days an item in progress gets until its due date


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Timeline:
    """Steps of many stories, run in the order of their moments (then of adding)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def add(self, days_ago: int, step: Callable[[], None], hour: int = 10) -> None:
        if days_ago < 1:
            raise ValueError("demo steps happen before today (the clock must not run ahead)")
        at = moment(self.day(days_ago), hour, len(self.steps) % 60)
        self.steps.append((at, len(self.steps), step))

    def run(self) -> None:
        """Each step in a transaction of its own (one audit append for all its actions,
        so what follows every audited change runs once per step, not once per item)."""
        for at, _, step in sorted(self.steps, key=lambda row: row[:2]):
            with frozen_clock(at), trail.atomic():
                step()


@dataclass
class Team:
    owner: object
    approver: object
    contributors: list = field(default_factory=list)
    viewers: list = field(default_factory=list)

    @property
    def workers(self) -> list:
        return [self.owner, *self.contributors]


@dataclass
class Story:
    """One algorithm of the demo, with what happens to it."""

    values: dict
    team: Team
    algorithm: Algorithm | None = None
    worked: int = 0  # how many items were taken on so far (for varied owners and notes)

    # --- registering and the profile ---------------------------------------------

    def register(self, organisation, release: ContentRelease | None = None) -> None:
        values = {**self.values, "organisation": organisation}
        values["release"] = release or ContentRelease.latest()
        self.algorithm = create_algorithm(actor=self.team.owner, values=values)
        roles = [(self.team.approver, Membership.Role.APPROVER)]
        roles += [(user, Membership.Role.CONTRIBUTOR) for user in self.team.contributors]
        roles += [(user, Membership.Role.VIEWER) for user in self.team.viewers]
        for user, role in roles:
            add_member(self.algorithm, actor=self.team.owner, user=user, role=role)

    def move(self, phase: str, stage: str = Algorithm.Stage.NONE) -> None:
        """The owner changes phase and stage (the checklist follows)."""
        algorithm = self.fresh()
        values = {name: getattr(algorithm, name) for name in PROFILE_FIELDS}
        values.update(phase=phase, stage=stage)
        change_profile(
            algorithm,
            actor=self.team.owner,
            version=algorithm.version,
            values=values,
            profile=algorithm.profile(),
        )

    def fresh(self) -> Algorithm:
        self.algorithm = Algorithm.objects.get(pk=self.algorithm.pk)
        return self.algorithm

    # --- the checklist -------------------------------------------------------------

    def items(self) -> list[ChecklistItem]:
        return list(
            self.fresh()
            .items.current()
            .select_related("catalog_item", "owner")
            .order_by("catalog_item__kind", "catalog_item__slug", "pk")
        )

    def work(self, done: float, in_progress: float = 0.15) -> None:
        """The team takes the checklist up to ``done`` (a share of the current items:
        done, with an owner and evidence), and a further share in progress with a due
        date; items already done stay done."""
        items = self.items()
        target_done = round(done * len(items))
        target_busy = round(in_progress * len(items))
        already = sum(1 for item in items if item.status == Status.DONE)
        for item in items:
            if item.status == Status.DONE:
                continue
            if already < target_done:
                self._finish(item)
                already += 1
            elif target_busy > 0:
                if item.status != Status.IN_PROGRESS:
                    self._start(item)
                target_busy -= 1

    def finish(self) -> None:
        """Every current item done, with an owner and evidence."""
        self.work(done=1.0, in_progress=0)

    def _worker(self):
        self.worked += 1
        return self.team.workers[self.worked % len(self.team.workers)]

    def _start(self, item: ChecklistItem) -> None:
        due = timezone.localdate() + timedelta(days=DUE_IN_DAYS)
        update_item(
            item,
            self._worker(),
            expected_version=item.version,
            status=Status.IN_PROGRESS,
            owner=item.owner or self._worker(),
            due_date=due,
        )

    def _finish(self, item: ChecklistItem) -> None:
        actor = item.owner or self._worker()
        item = update_item(
            item,
            actor,
            expected_version=item.version,
            status=Status.DONE,
            owner=actor,
            due_date=None,
        )
        if self.worked % 2:
            title, note = EVIDENCE_NOTES[self.worked % len(EVIDENCE_NOTES)]
            add_note(item, actor, note=note, title=title)
        else:
            title, path = EVIDENCE_LINKS[self.worked % len(EVIDENCE_LINKS)]
            url = f"https://intranet.example.nl/dossiers/{self.algorithm.slug}/{path}-{item.pk}"
            add_url(item, actor, url=url, title=title)

    def risk(self, description: str, mitigation: str, *, accept: bool = False) -> None:
        """A residual risk on the first item, accepted by the approver or left open."""
        item = self.items()[0]
        risk = add_risk(
            item,
            self.team.owner,
            description=description,
            likelihood=2,
            impact=3,
            mitigation=mitigation,
            owner=self.team.owner,
        )
        if accept:
            accept_risk(risk, self.team.approver, expected_version=risk.version)

    # --- the pilot -------------------------------------------------------------------

    def start_pilot(self, days: int, criteria: list[tuple[str, str, str]], units: str) -> None:
        today = timezone.localdate()
        values = {
            "start_date": today,
            "end_date": today + timedelta(days=days),
            "max_cases": 500,
            "other_limit": "",
            "units": units,
            "processes_production_data": True,
            "legal_basis": "AVG art. 6 lid 1 sub e; DPIA vastgesteld.",
            "legal_basis_url": "",
            "participants": f"Acht medewerkers van {units}",
            "agreements": "Elke uitkomst wordt door een medewerker beoordeeld; afwijkingen "
            "worden dezelfde dag gemeld aan het ontwikkelteam.",
        }
        specs = [CriterionSpec(None, *criterion) for criterion in criteria]
        save_pilot(
            self.fresh(), self.team.owner, expected_version=None, values=values, criteria=specs
        )

    def evaluate(self, measured: list[tuple[str, bool]], findings: str) -> None:
        pilot = self.fresh().pilots.first()
        criteria = list(pilot.criteria.all())
        results = {criterion.pk: value for criterion, value in zip(criteria, measured, strict=True)}
        save_evaluation(
            pilot,
            self.team.owner,
            expected_version=pilot.version,
            values={"usability_findings": findings, "other_findings": ""},
            results=results,
        )

    def pilot_decision(self, outcome: str) -> None:
        record_pilot_decision(self.fresh(), self.team.approver, outcome, RATIONALES[outcome])

    # --- the go-live gate ------------------------------------------------------------

    def go_live(self, outcome: str, *, condition_days: int = 60) -> None:
        """The approver's go-live decision; a conditional go turns every open blocker
        into a condition for the owner, due in ``condition_days``."""
        algorithm = self.fresh()
        conditions = []
        if outcome == Outcome.CONDITIONAL:
            due = timezone.localdate() + timedelta(days=condition_days)
            conditions = [
                ConditionSpec(blocker.key, f"Oplossen: {blocker.label}", self.team.owner, due)
                for blocker in go_live_readiness(algorithm).blockers
            ]
        record_go_live_decision(
            algorithm, self.team.approver, outcome, RATIONALES[outcome], conditions
        )


PILOT_PHASE = (Phase.IMPLEMENTATIE, Algorithm.Stage.PILOT)
