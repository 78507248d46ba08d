"""`make run` imports the register's standard when one is available, never failing
when it is absent."""

from io import StringIO

import pytest
from django.core.management import call_command

from tracker.register.models import RegisterStandard

pytestmark = pytest.mark.django_db


def prepare(settings, **overrides) -> list[str]:
    settings.CONTENT_SOURCE = "http://127.0.0.1:9/unreachable.tar.gz"
    for name, value in overrides.items():
        setattr(settings, name, value)
    out = StringIO()
    call_command("prepare_local", stdout=out)
    return out.getvalue().splitlines()


def test_the_copy_beside_the_checkout_is_imported_once(settings, standard_file):
    lines = prepare(settings, REGISTER_STANDARD_SOURCE="", REGISTER_STANDARD_FALLBACK=standard_file)
    assert RegisterStandard.objects.get().version == "1.0"
    assert any("Publicatiestandaard 1.0" in line and "imported" in line for line in lines)
    lines = prepare(settings, REGISTER_STANDARD_SOURCE="", REGISTER_STANDARD_FALLBACK=standard_file)
    assert RegisterStandard.objects.count() == 1
    assert any("(unchanged)" in line for line in lines)


def test_a_configured_source_wins(settings, standard_file, tmp_path):
    prepare(
        settings,
        REGISTER_STANDARD_SOURCE=str(standard_file),
        REGISTER_STANDARD_FALLBACK=tmp_path / "none.json",
    )
    assert RegisterStandard.objects.get().source == str(standard_file)


def test_absent_standard_never_fails_the_run(settings, tmp_path):
    lines = prepare(
        settings, REGISTER_STANDARD_SOURCE="", REGISTER_STANDARD_FALLBACK=tmp_path / "none.json"
    )
    assert not RegisterStandard.objects.exists()
    assert any("REGISTER_STANDARD_SOURCE" in line for line in lines)
    assert any("draait op http://127.0.0.1:8000/" in line for line in lines)
    lines = prepare(settings, REGISTER_STANDARD_SOURCE=str(tmp_path / "missing.json"))
    assert any(line.startswith("warning: Algoritmeregister standard") for line in lines)
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    lines = prepare(settings, REGISTER_STANDARD_SOURCE=str(bad))
    assert any("not valid JSON" in line for line in lines)
    assert any("draait op http://127.0.0.1:8000/" in line for line in lines)
