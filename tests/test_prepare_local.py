"""The run command's preparation step: content import, demo data, re-runs keep data."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tracker.algorithms.models import Algorithm
from tracker.catalog.models import ContentRelease
from tracker.checklist.models import ChecklistItem
from tracker.demo import PORTFOLIO_SIZE

pytestmark = pytest.mark.django_db


def prepare() -> list[str]:
    out = StringIO()
    call_command("prepare_local", stdout=out)
    return out.getvalue().splitlines()


def test_unreachable_source_is_one_clear_line_and_the_run_continues(settings):
    settings.CONTENT_SOURCE = "http://127.0.0.1:9/Algoritmekader-v2.5.1.tar.gz"
    lines = prepare()
    warnings = [line for line in lines if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "cannot be reached" in warnings[0]
    assert "download a release archive (.tar.gz or .zip) by hand from" in warnings[0]
    assert "point CONTENT_SOURCE at the file or at the folder it unpacks to" in warnings[0]
    assert "../shared" not in warnings[0]
    assert ContentRelease.objects.filter(kind=ContentRelease.Source.PACK).count() == 1
    assert any(line.startswith("Demo-logins (wachtwoord") for line in lines)
    assert any("127.0.0.1:8000" in line for line in lines)


def test_demo_data_once_and_reruns_keep_everything(settings, v251):
    settings.CONTENT_SOURCE = str(v251)
    prepare()
    algorithms = list(Algorithm.objects.values_list("slug", flat=True))
    own = Algorithm.objects.filter(organisation__slug="voorbeeldstad")
    assert own.count() == 3
    assert len(algorithms) == 3 + PORTFOLIO_SIZE
    demo = get_user_model().objects.get(username="demo")
    assert Algorithm.objects.visible_to(demo).count() == len(algorithms)
    item = ChecklistItem.objects.filter(algorithm=own.first()).first()
    item.status = ChecklistItem.Status.IN_PROGRESS
    item.save(update_fields=["status"])
    releases = ContentRelease.objects.count()

    lines = prepare()

    # every demo login with its role: the demo user, the approver, the managers, a team
    logins = lines[lines.index(next(x for x in lines if x.startswith("Demo-logins"))) + 1 :]
    text = "\n".join(logins)
    assert "demo " in text
    assert "akkoord" in text
    assert "accordeerder van de demo-algoritmes" in text
    assert "manager: portfoliokijker van" in text
    for role in ("lezer", "bijdrager", "accordeerder", "eigenaar"):
        assert f"— {role} van " in text, role
    assert sorted(Algorithm.objects.values_list("slug", flat=True)) == sorted(algorithms)
    assert ContentRelease.objects.count() == releases
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.IN_PROGRESS
    assert not [line for line in lines if line.startswith("warning:")]


def test_the_real_release_archive_imports_and_seeds_the_demo(settings, v251_archive):
    settings.CONTENT_SOURCE = str(v251_archive)
    lines = prepare()
    assert not [line for line in lines if "not imported" in line]
    assert "v2.5.1: 63 vereisten, 108 maatregelen, 28 hulpmiddelen (added)" in lines
    assert Algorithm.objects.filter(organisation__slug="voorbeeldstad").count() == 3
    assert ChecklistItem.objects.filter(catalog_item__release__label="v2.5.1").exists()


def test_a_refused_archive_says_refused_and_why(settings, tmp_path):
    import io
    import tarfile

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("top/../../evil.md")
        tar.addfile(info, io.BytesIO(b""))
    settings.CONTENT_SOURCE = str(archive)
    warnings = [line for line in prepare() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "cannot be reached" not in warnings[0]
    assert "refused because entry 'top/../../evil.md' points outside the archive" in warnings[0]
    assert "point CONTENT_SOURCE at the file" in warnings[0]


def test_the_decision_aid_is_imported_when_there_and_skipped_when_absent(settings, tmp_path):
    from tests.decision_aid.helpers import SHARED_AID, aid_dir
    from tracker.decision_aid.models import DecisionTree

    aid_dir("v1.2.24")
    settings.CONTENT_SOURCE = str(tmp_path / "geen-content")
    settings.DECISION_AID_SOURCE = str(tmp_path / "geen-beslishulp")
    lines = prepare()
    assert any("Beslishulp AI-verordening: no source found" in line for line in lines)
    assert not DecisionTree.objects.exists()
    settings.DECISION_AID_SOURCE = str(SHARED_AID)
    lines = prepare()
    assert "Beslishulp v1.2.24: imported" in lines
    assert list(DecisionTree.objects.order_by("imported_at").values_list("label", flat=True)) == [
        "v1.2.23",
        "v1.2.24",
    ]
    assert "Beslishulp v1.2.24: unchanged" in prepare()
