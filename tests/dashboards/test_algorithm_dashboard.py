"""The per-algorithm dashboard: progress per topic and per role, blockers, due dates,
recent activity; the same figures as the checklist and the gate; fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.builders import make_role, make_topic
from tests.dashboards.builders import make_portfolio
from tests.world import make_catalog_item, make_checklist_item, make_user
from tracker.audit.trail import record
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import progress_for
from tracker.gates.readiness import go_live_readiness

pytestmark = pytest.mark.django_db
Status = ChecklistItem.Status


def url(algorithm) -> str:
    return reverse("algorithm_dashboard:detail", args=[algorithm.slug])


def test_access(client):
    portfolio = make_portfolio()
    assert client.get(url(portfolio.alpha)).status_code == 302
    client.force_login(make_user("buitenstaander"))
    assert client.get(url(portfolio.alpha)).status_code == 404
    client.force_login(portfolio.member)
    assert client.get(url(portfolio.beta)).status_code == 404  # not a member of Beta
    assert client.get(url(portfolio.alpha)).status_code == 200
    client.force_login(portfolio.manager)
    assert client.get(url(portfolio.beta)).status_code == 200
    assert client.get(url(portfolio.other)).status_code == 404  # another organisation


def test_figures_are_those_of_the_checklist_and_the_gate(client):
    portfolio = make_portfolio()
    alpha = portfolio.alpha
    client.force_login(portfolio.manager)
    context = client.get(url(alpha)).context
    progress = progress_for(alpha.items.all())
    shown = ("total", "done", "not_applicable", "overdue", "ready", "percent_ready")
    # The figures the page shows (from the maintained figures) are the checklist's.
    assert {name: getattr(context["progress"], name) for name in shown} == {
        name: getattr(progress, name) for name in shown
    }
    assert (progress.ready, progress.total, progress.overdue) == (8, 9, 1)
    assert (context["requirements"].ready, context["requirements"].total) == (1, 1)
    readiness = go_live_readiness(alpha)
    assert context["blocker_total"] == len(readiness.blockers) == 2
    groups = {key: count for key, _, count, _ in context["blocker_groups"]}
    assert groups == readiness.counts
    assert context["status"].label == "Geblokkeerd"


def test_progress_per_topic_and_per_role(client):
    portfolio = make_portfolio()
    beta = portfolio.beta
    release = beta.release
    privacy, lawyer = make_topic(release, "privacy"), make_role(release, "jurist")
    done = make_catalog_item(release)
    done.topics.add(privacy)
    done.roles.add(lawyer)
    make_checklist_item(beta, done, status=Status.DONE, owner=portfolio.approver)
    open_ = make_catalog_item(release, topics=("privacy",))
    make_checklist_item(beta, open_)
    client.force_login(portfolio.manager)
    context = client.get(url(beta)).context
    topics = {title: (p.ready, p.total) for title, p in context["topics"]}
    # Beta's 3 items (2 ready) and the done one have topic "governance"; the open one not
    assert topics == {"Governance": (3, 4), "Privacy": (1, 2)}
    roles = {title: (p.ready, p.total) for title, p in context["roles"]}
    assert roles == {"Jurist": (1, 1), "Zonder indeling": (2, 4)}
    html = client.get(url(beta)).content.decode()
    assert 'data-chart="per-onderwerp"' in html
    assert 'data-chart="per-rol"' in html
    assert "style=" not in html


def test_upcoming_due_dates_and_recent_activity(client):
    portfolio = make_portfolio()
    beta = portfolio.beta
    today = timezone.localdate()
    later = make_checklist_item(beta, due_date=today + datetime.timedelta(days=20))
    sooner = make_checklist_item(beta, due_date=today + datetime.timedelta(days=2))
    make_checklist_item(beta, due_date=today, status=Status.DONE)  # finished: not shown
    record(actor=portfolio.approver, obj=sooner, action="update", algorithm=beta)
    client.force_login(portfolio.manager)
    context = client.get(url(beta)).context
    assert [item.pk for item in context["upcoming"]] == [sooner.pk, later.pk]
    [entry] = context["activity"]
    assert entry.object_id == str(sooner.pk)
    assert entry.actor_name == "akkoord"


def query_count(client, algorithm) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(algorithm)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_items(client):
    portfolio = make_portfolio()
    client.force_login(portfolio.manager)
    small, large = portfolio.beta, portfolio.gamma
    today = timezone.localdate()
    for n in range(10):
        make_checklist_item(small, due_date=today + datetime.timedelta(days=n))
    for n in range(200):
        item = make_checklist_item(large, due_date=today + datetime.timedelta(days=n % 30))
        record(actor=portfolio.approver, obj=item, action="update", algorithm=large)
    # the builders write behind the actions' back: a first view recomputes the figures
    query_count(client, small)
    assert query_count(client, small) == query_count(client, large)


def test_kept_charts_equal_a_fresh_rendering_after_a_change(client):
    """The charts are kept rendered under a digest of their data: a status change and a
    new snapshot show at once, and the kept page equals the one rendered from scratch."""
    from django.core.cache import caches

    from tracker.checklist import actions
    from tracker.dashboards.snapshots import snapshot_readiness

    fragments = caches["fragments"]
    fragments.clear()
    portfolio = make_portfolio()
    alpha = portfolio.alpha
    client.force_login(portfolio.manager)

    def page() -> str:
        response = client.get(url(alpha))
        return response.content.decode().split('id="voortgang-heading"')[1].split("</section>")[0]

    def kept_is_fresh() -> str:
        kept = page()
        fragments.clear()
        assert page() == kept
        return kept

    before = kept_is_fresh()
    open_item = alpha.items.exclude(status=Status.DONE).exclude(status=Status.NOT_APPLICABLE)
    item = open_item.first()
    actions.update_item(item, portfolio.manager, expected_version=item.version, status=Status.DONE)
    page()  # the charts as kept before the change are not shown after it
    after = kept_is_fresh()
    assert after != before
    assert 'data-chart="verloop"' not in before
    snapshot_readiness(type(alpha).objects.filter(pk=alpha.pk))
    with_history = kept_is_fresh()
    assert 'data-chart="verloop"' in with_history
    fragments.clear()
