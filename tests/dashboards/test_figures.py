"""Every figure of the portfolio equals what the checklist (progress_for) and the gate
(go_live_readiness) compute for the algorithm, on a hand-made portfolio whose figures
are known."""

import itertools

import pytest
from django.utils import timezone

from tests.builders import make_topic
from tests.dashboards.builders import make_pilot, make_portfolio
from tests.world import make_algorithm, make_checklist_item, make_go_live_criteria
from tracker.algorithms.models import Algorithm
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import progress_for
from tracker.dashboards.portfolio import overview, portfolio_rows
from tracker.decisions.models import Decision
from tracker.gates.readiness import go_live_readiness
from tracker.gates.rules import affected_persons_mandatory, affected_persons_mandatory_q
from tracker.pages.portfolio import unaccepted_risk_count

pytestmark = pytest.mark.django_db
Status = ChecklistItem.Status


def shown(progress) -> tuple:
    """The figures the dashboards show of a Progress."""
    return (progress.ready, progress.total, progress.percent_ready, progress.overdue)


def rows_by_name(algorithms) -> dict:
    return {row.algorithm.name: row for row in portfolio_rows(algorithms)}


def test_the_known_figures_of_the_hand_made_portfolio():
    portfolio = make_portfolio()
    rows = rows_by_name(Algorithm.objects.exclude(pk=portfolio.other.pk))
    assert set(rows) == set(portfolio.expected)
    for name, expected in portfolio.expected.items():
        row = rows[name]
        got = (
            row.progress.ready,
            row.progress.total,
            row.requirements.ready,
            row.requirements.total,
            row.blockers,
            row.overdue,
            row.unaccepted_risks,
        )
        assert got == expected, name


def test_each_row_equals_the_checklist_and_gate_figures_of_its_algorithm():
    portfolio = make_portfolio()
    for algorithm in (portfolio.alpha, portfolio.beta, portfolio.gamma, portfolio.delta):
        row = rows_by_name(Algorithm.objects.all())[algorithm.name]
        readiness = go_live_readiness(algorithm)
        assert row.blockers == len(readiness.blockers), algorithm.name
        assert row.unaccepted_risks == readiness.counts.get("risicos", 0)
        assert shown(row.progress) == shown(progress_for(algorithm.items.all()))
        requirements = algorithm.items.filter(catalog_item__kind="requirement")
        assert shown(row.requirements) == shown(progress_for(requirements))
        assert row.overdue == progress_for(algorithm.items.all()).overdue


def test_rows_follow_changes_exactly_like_the_gate():
    """Break and repair rules one by one; portfolio and gate must agree at every step."""
    portfolio = make_portfolio()
    alpha = portfolio.alpha

    def agree():
        row = rows_by_name(Algorithm.objects.filter(pk=alpha.pk))["Alpha"]
        assert row.blockers == len(go_live_readiness(alpha).blockers)
        assert shown(row.progress) == shown(progress_for(alpha.items.all()))
        return row.blockers

    assert agree() == 2
    criterion = alpha.items.get(catalog_item__front_matter__criterium="betrokkenen-geinformeerd")
    criterion.status, criterion.justification = Status.NOT_APPLICABLE, "Geen betrokkenen."
    criterion.save()
    assert agree() == 3  # mandatory for an impactful algorithm: n/a is not enough
    alpha.impactful = False
    alpha.save()
    assert agree() == 2  # not mandatory: n/a is fine
    criterion.evidence.update(withdrawn_at=timezone.now())
    assert agree() == 2  # n/a needs no evidence
    criterion.status = Status.DONE
    criterion.save()
    assert agree() == 3  # done without active evidence
    alpha.stage = Algorithm.Stage.PILOT
    alpha.save()
    assert agree() == 4


def test_a_duplicate_criterion_counts_once_in_both():
    algorithm = make_algorithm(stage=Algorithm.Stage.PRODUCTION)
    first = make_go_live_criteria(algorithm, status=Status.OPEN)
    second = make_go_live_criteria(algorithm, status=Status.DONE)
    assert first.keys() == second.keys()
    row = rows_by_name(Algorithm.objects.filter(pk=algorithm.pk))[algorithm.name]
    readiness = go_live_readiness(algorithm)
    assert all(criterion.ok for criterion in readiness.criteria)
    assert row.blockers == len(readiness.blockers)


def test_affected_persons_mandatory_has_one_meaning_in_python_and_sql():
    combos = itertools.product(
        [True, False], [True, False], ["hoog-risico-ai-systeem", "geen-hoog-risico-ai-systeem"]
    )
    for impactful, is_ai, group in combos:
        algorithm = make_algorithm(impactful=impactful, is_ai_system=is_ai, risicogroep=group)
        in_sql = Algorithm.objects.filter(affected_persons_mandatory_q(), pk=algorithm.pk).exists()
        assert in_sql == affected_persons_mandatory(algorithm), (impactful, is_ai, group)


def test_last_decision_and_days_in_pilot():
    portfolio = make_portfolio()
    rows = rows_by_name(Algorithm.objects.all())
    assert rows["Beta"].days_in_pilot == 40
    assert rows["Beta"].pilot_undecided_for_more_than(39)
    assert not rows["Beta"].pilot_undecided_for_more_than(40)
    assert rows["Gamma"].days_in_pilot == 10
    assert rows["Alpha"].days_in_pilot is None  # in production
    assert rows["Alpha"].last_decision is None
    delta = rows["Delta"].last_decision
    assert (delta.gate, delta.outcome) == (Decision.Gate.PILOT, "develop")
    assert delta.outcome_label == "Verder ontwikkelen"

    # a pilot decision after the pilot started stops the clock
    from tracker.decisions.actions import record_decision

    record_decision(
        portfolio.beta, portfolio.approver, gate="pilot", outcome="develop", rationale="Verder."
    )
    beta = rows_by_name(Algorithm.objects.filter(pk=portfolio.beta.pk))["Beta"]
    assert beta.pilot_decided
    assert not beta.pilot_undecided_for_more_than(0)
    assert beta.last_decision.gate == "pilot"
    # a newer pilot restarts it
    make_pilot(portfolio.beta, portfolio.approver, days_ago=-1)
    beta = rows_by_name(Algorithm.objects.filter(pk=portfolio.beta.pk))["Beta"]
    assert not beta.pilot_decided


def test_overview_sums_the_rows_and_splits_per_topic():
    portfolio = make_portfolio()
    scope = Algorithm.objects.exclude(pk=portfolio.other.pk).values("pk")
    figures = overview(scope)
    rows = portfolio_rows(Algorithm.objects.exclude(pk=portfolio.other.pk))
    assert (figures.progress.ready, figures.progress.total) == (10, 13)
    assert figures.progress.ready == sum(row.progress.ready for row in rows)
    assert figures.progress.overdue == sum(row.overdue for row in rows) == 1
    assert (figures.requirements.ready, figures.requirements.total) == (2, 3)
    assert unaccepted_risk_count(scope, timezone.localdate()) == 1
    [(slug, _, progress)] = figures.topics  # the builders give every item "governance"
    assert slug == "governance"
    assert (progress.ready, progress.total) == (10, 13)
    extra = make_checklist_item(portfolio.gamma, status=Status.DONE)
    extra.catalog_item.topics.add(make_topic(extra.catalog_item.release, "privacy"))
    topics = {slug: p for slug, _, p in overview([row.algorithm.pk for row in rows]).topics}
    assert {slug: (p.ready, p.total) for slug, p in topics.items()} == {
        "governance": (11, 14),
        "privacy": (1, 1),
    }
