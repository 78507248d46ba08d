"""The cached portfolio figures (tracker/dashboards/figure_cache.py) equal a full
recomputation after every kind of write: item status and owner, retiring an item, evidence,
residual risks (added, accepted), gate and item decisions, a release upgrade, and the
daily readiness snapshot.

Each write goes through the app's own action (which records it in the audit trail, the
cache's version). After it, the portfolio (first page and filtered by a figure) and the
heatmap are requested with the cache warm; their figures must equal those of the same
pages computed from scratch (cache emptied), and must have changed where the write
changes them (else the test could not tell a stale cache from a correct one)."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.world import add_member, make_algorithm, make_checklist_item, make_user
from tracker.checklist.actions import decide_item, update_item
from tracker.checklist.sync import Change, SyncPlan, apply
from tracker.dashboards.snapshots import snapshot_readiness
from tracker.decisions.actions import record_go_live_decision
from tracker.evidence.actions import add_note
from tracker.organisations.models import OrganisationMembership
from tracker.risks.actions import accept_risk, add_risk

PORTFOLIO = "dashboards:portfolio"
FILTERED = "?blokkades=ja&sorteer=-blokkades"


@pytest.fixture
def figure_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "figures": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "figure-cache-test",
        },
    }
    caches["figures"].clear()
    yield caches["figures"]
    caches["figures"].clear()


@pytest.fixture
def portfolio(db, figure_cache):
    owner, manager = make_user("eigenaar"), make_user("manager")
    algorithms = [make_algorithm(name=f"Algoritme {n}") for n in range(3)]
    for algorithm in algorithms:
        add_member(algorithm, owner, "owner")
        OrganisationMembership.objects.get_or_create(
            organisation=algorithm.organisation,
            user=manager,
            defaults={"is_portfolio_viewer": True},
        )
    approver = make_user("accordeerder")
    for algorithm in algorithms:
        add_member(algorithm, approver, "approver")
    items = [make_checklist_item(algorithm) for algorithm in algorithms for _ in range(2)]
    return {
        "owner": owner,
        "approver": approver,
        "manager": manager,
        "algorithms": algorithms,
        "items": items,
    }


def _figures(client) -> dict:
    """What the three pages show, from their contexts."""
    first = client.get(reverse(PORTFOLIO)).context
    filtered = client.get(reverse(PORTFOLIO) + FILTERED).context
    heatmap = client.get(reverse("dashboards:risks")).context
    return {
        "overview": first["figures"],
        "unaccepted": first["unaccepted_risks"],
        "statuses": first["totals"].statuses,
        "count": first["totals"].count,
        "funnel": first["funnel"],
        "rows": [
            (row.algorithm.pk, row.progress, row.requirements, row.blockers, row.unaccepted_risks)
            for row in first["rows"]
        ],
        "filtered": [(row.algorithm.pk, row.blockers) for row in filtered["rows"]],
        "heatmap": heatmap["heatmap"],
        "history": first["over_time"],
    }


def _check(client, cache, before: dict, changed: set[str]) -> dict:
    cached = _figures(client)
    cache.clear()
    fresh = _figures(client)
    assert cached == fresh
    for name in changed:
        assert cached[name] != before[name], name
    return fresh


def _item(portfolio, n: int = 0):
    item = portfolio["items"][n]
    item.refresh_from_db()
    return item


def test_cached_figures_equal_a_recomputation_after_every_kind_of_write(
    client, portfolio, figure_cache
) -> None:
    client.force_login(portfolio["manager"])
    owner, approver = portfolio["owner"], portfolio["approver"]
    before = _figures(client)
    assert len(figure_cache._cache) > 0  # the pages did use the cache

    # Status: a done item counts as done (and, without evidence, blocks).
    item = _item(portfolio)
    update_item(item, owner, expected_version=item.version, status="done")
    before = _check(client, figure_cache, before, {"overview", "rows"})

    # Owner: an item without an owner blocks.
    item = _item(portfolio, 1)
    update_item(item, owner, expected_version=item.version, owner=owner)
    before = _check(client, figure_cache, before, {"rows"})

    # Evidence: the done item without evidence stops blocking once it has a note.
    add_note(_item(portfolio), owner, note="Vastgelegd", title="Notitie")
    before = _check(client, figure_cache, before, {"rows"})

    # Residual risk: added (unaccepted: blocks, shows in the heatmap), then accepted.
    risk = add_risk(_item(portfolio, 2), owner, description="Restrisico", likelihood=4, impact=5)
    before = _check(client, figure_cache, before, {"unaccepted", "rows", "heatmap"})
    risk.refresh_from_db()
    accept_risk(
        risk,
        approver,
        expected_version=risk.version,
        expires=datetime.date.today() + datetime.timedelta(days=30),
    )
    before = _check(client, figure_cache, before, {"unaccepted", "rows"})

    # Decisions: a go-live no-go and an item verdict are recorded (figures unchanged,
    # but the version moved: still equal to a recomputation).
    record_go_live_decision(portfolio["algorithms"][0], approver, "no_go", "Nog niet.")
    decide_item(_item(portfolio, 3), approver, verdict="no_go", rationale="Nee")
    before = _check(client, figure_cache, before, set())

    # Retiring an item (the checklist sync's own write path).
    row = _item(portfolio, 4)
    apply(
        row.algorithm,
        SyncPlan(retired=[Change(row, [])], phase=row.algorithm.phase, stage=row.algorithm.stage),
        owner,
        "Fase of profiel gewijzigd",
    )
    before = _check(client, figure_cache, before, {"overview", "rows"})

    # The daily readiness snapshot (written without an audit entry) shows in the chart.
    snapshot_readiness()
    _check(client, figure_cache, before, {"history"})


def test_a_write_without_the_audit_trail_is_not_seen_until_the_next_audited_write(
    client, portfolio, figure_cache
) -> None:
    """The cache's contract made visible: the audit trail's head is its version."""
    client.force_login(portfolio["manager"])
    before = _figures(client)
    type(portfolio["items"][0]).objects.filter(pk=portfolio["items"][0].pk).update(
        status="done"
    )  # behind the app's back: no audit entry
    assert _figures(client)["overview"] == before["overview"]  # the cached summary
    item = _item(portfolio, 1)
    update_item(
        item,
        portfolio["owner"],
        expected_version=item.version,
        status="not_applicable",
        justification="Geen persoonsgegevens",
    )
    _check(client, figure_cache, before, {"overview"})  # both changes now shown


def test_cached_figures_equal_a_recomputation_after_a_release_upgrade(
    client, db, figure_cache
) -> None:
    from tests.checklist.upgrade_helpers import make_upgraded_world
    from tracker.checklist.upgrade import apply_upgrade

    gate, new = make_upgraded_world()
    manager = make_user("manager")
    OrganisationMembership.objects.create(
        organisation=gate.algorithm.organisation, user=manager, is_portfolio_viewer=True
    )
    client.force_login(manager)
    before = _figures(client)
    apply_upgrade(gate.algorithm, new, gate.owner, expected_version=gate.algorithm.version)
    # The measure changed in substance: "opnieuw beoordelen" blocks go-live.
    _check(client, figure_cache, before, {"rows"})
