"""The daily readiness snapshot: written idempotently from the portfolio's own figures,
and drawn as readiness over time."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.dashboards.builders import make_portfolio
from tests.gates.helpers import settle
from tracker.algorithms.models import Algorithm
from tracker.checklist.models import ChecklistItem
from tracker.dashboards.models import ReadinessSnapshot
from tracker.dashboards.portfolio import portfolio_rows

pytestmark = pytest.mark.django_db


def test_the_command_writes_todays_rows_once(capsys):
    portfolio = make_portfolio()
    call_command("snapshot_readiness")
    assert "5 algorithm(s)" in capsys.readouterr().out
    today = timezone.localdate()
    rows = {row.algorithm.pk: row for row in portfolio_rows(Algorithm.objects.all())}
    snapshots = ReadinessSnapshot.objects.filter(date=today)
    assert snapshots.count() == 5
    for snapshot in snapshots:
        row = rows[snapshot.algorithm_id]
        assert (snapshot.ready, snapshot.applicable) == (row.progress.ready, row.progress.total)
        assert snapshot.blockers == row.blockers
        assert snapshot.unaccepted_risks == row.unaccepted_risks
        assert snapshot.requirements_ready == row.requirements.ready

    # Later that day: more work done, the command runs again and overwrites today's row.
    settle(portfolio.alpha.items.get(status=ChecklistItem.Status.OPEN), portfolio.member)
    call_command("snapshot_readiness")
    assert ReadinessSnapshot.objects.count() == 5
    alpha = ReadinessSnapshot.objects.get(algorithm=portfolio.alpha, date=today)
    assert (alpha.ready, alpha.applicable, alpha.blockers) == (9, 9, 0)


def test_readiness_over_time_on_the_portfolio(client):
    portfolio = make_portfolio()
    today = timezone.localdate()
    for days_ago, ready in ((14, 2), (7, 5), (0, 8)):
        ReadinessSnapshot.objects.create(
            algorithm=portfolio.alpha,
            date=today - datetime.timedelta(days=days_ago),
            applicable=10,
            ready=ready,
            requirements_applicable=4,
            requirements_ready=ready // 2,
            blockers=10 - ready,
            overdue=0,
            unaccepted_risks=0,
        )
    client.force_login(portfolio.manager)
    chart = client.get(reverse("dashboards:portfolio")).context["over_time"]
    assert [(p.day, p.percent, p.requirements_percent) for p in chart.points] == [
        (today - datetime.timedelta(days=14), 20, 25),
        (today - datetime.timedelta(days=7), 50, 50),
        (today, 80, 100),
    ]
    assert chart.polyline.count(",") == 3
    # a member of another algorithm does not see Alpha's history
    client.force_login(portfolio.approver)
    ReadinessSnapshot.objects.filter(algorithm=portfolio.alpha).update(algorithm=portfolio.gamma)
    assert client.get(reverse("dashboards:portfolio")).context["over_time"].points == []
