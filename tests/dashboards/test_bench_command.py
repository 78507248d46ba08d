"""``manage.py bench_dashboards``: every page beside a floor page, as ratios to it."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

from tests.world import make_world


def test_bench_reports_each_page_as_a_ratio_to_the_floor(db, tmp_path) -> None:
    make_world()
    out, target = io.StringIO(), tmp_path / "figures.json"
    call_command("bench_dashboards", "--requests", "2", "--json", str(target), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"# {connection.vendor}: 1 algorithms;")
    assert "load average" in lines[0]
    pages = [line.split()[0] for line in lines if not line.startswith("#")]
    assert pages == [
        "floor",
        "portfolio_first_page",
        "portfolio_filtered",
        "risk_heatmap",
        "uncached_portfolio_first_page",
        "uncached_risk_heatmap",
        "algorithm_dashboard",
        "checklist",
        "editor_checklist",
        "uncached_checklist",
        "checklist_median",
        "checklist_item",
    ]
    for line in lines:
        if not line.startswith("#"):
            assert re.fullmatch(
                r"\w+ median_ms=\d+\.\d p95_ms=\d+\.\d floor_ratio=\d+\.\d queries=\d+", line
            ), line
    figures = json.loads(target.read_text())
    assert figures["algorithms"] == 1
    assert figures["pages"]["floor"]["ratio"] == 1.0
    assert figures["pages"]["floor"]["queries"] == 3  # session, user, the one query


def test_the_floor_page_is_mounted_by_the_benchmark_only(db) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's in-place statistics")
def test_inside_a_transaction_the_bench_leaves_the_planner_statistics_alone(db) -> None:
    """ANALYZE writes PostgreSQL's statistics in place, past a rollback: run in a test's
    transaction it would leave the statistics of rows that never existed, and later
    tests' long transactions planned for them (minutes instead of seconds)."""
    make_world()
    tables = ("tracker_checklistitem", "tracker_catalogitem", "tracker_algorithm")

    def statistics():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(tables)]
            )
            return dict(cursor.fetchall())

    before = statistics()
    call_command("bench_dashboards", "--requests", "1", stdout=io.StringIO())
    assert statistics() == before
