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
