"""export_dossier and bench_dossier."""

import csv
import io
import json
import re

import pypdf
import pytest
from django.core.management import CommandError, call_command

from tracker.algorithms.models import Algorithm
from tracker.checklist.models import ChecklistItem
from tracker.evidence.models import Evidence


@pytest.mark.parametrize("fmt", ["json", "csv", "pdf"])
def test_export_dossier_writes_each_format(dossier_world, tmp_path, fmt) -> None:
    target = tmp_path / f"dossier.{fmt}"
    slug = dossier_world.algorithm.slug
    call_command("export_dossier", slug, "-o", str(target), "--format", fmt, "--by", "auditor")
    if fmt == "json":
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["generated_by"] == "auditor"
        assert data["algorithm"]["slug"] == slug
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
        assert len(rows) == dossier_world.algorithm.items.count()
    else:
        reader = pypdf.PdfReader(str(target))
        assert len(reader.pages) > 1
        assert "auditor" in reader.pages[0].extract_text()


def test_export_dossier_defaults_and_errors(dossier_world, tmp_path, capsys) -> None:
    call_command("export_dossier", dossier_world.algorithm.slug, "-o", "-", "--format", "json")
    assert json.loads(capsys.readouterr().out)["generated_by"] == "manage.py"
    with pytest.raises(CommandError, match="no algorithm"):
        call_command("export_dossier", "bestaat-niet", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="stdout"):
        call_command("export_dossier", dossier_world.algorithm.slug, "-o", "-")


@pytest.mark.django_db(transaction=True)
def test_bench_dossier_reports_and_leaves_no_trace(tmp_path) -> None:
    out = io.StringIO()
    target = tmp_path / "bench.pdf"
    call_command(
        "bench_dossier", "--items", "12", "--evidence", "20", "-o", str(target), stdout=out
    )
    first = out.getvalue().splitlines()[0]
    pattern = r"dossier_pdf seconds=\d+\.\d\d cpu_seconds=\d+\.\d\d peak_mb=\d+ pages=\d+"
    assert re.fullmatch(pattern, first), first
    assert "items=12 evidence=20" in out.getvalue()
    assert target.read_bytes().startswith(b"%PDF-")
    assert not Algorithm.objects.exists()  # rolled back
    assert not ChecklistItem.objects.exists()
    assert not Evidence.objects.exists()
