"""``import_register_standard``: versioned, idempotent, one transaction, errors naming the
file and the field."""

import json

import pytest
from django.core.management import CommandError, call_command

from tracker.register.models import RegisterStandard

pytestmark = pytest.mark.django_db


def test_import_then_again_unchanged(standard_file, capsys):
    call_command("import_register_standard", str(standard_file))
    row = RegisterStandard.objects.get()
    assert (row.version, row.label, row.field_count) == ("1.0", "1.0", 31)
    assert row.standard["name"].title == "Naam"
    call_command("import_register_standard", str(standard_file))
    assert RegisterStandard.objects.count() == 1
    assert "(unchanged)" in capsys.readouterr().out


def test_a_changed_configuration_is_a_new_version(standard_file, tmp_path):
    call_command("import_register_standard", str(standard_file))
    data = json.loads(standard_file.read_text())
    data["properties"]["name"]["max_length"] = 120
    changed = tmp_path / "v1_0.json"
    changed.write_text(json.dumps(data))
    call_command("import_register_standard", str(changed))
    latest = RegisterStandard.latest()
    assert latest.label.startswith("1.0+")
    assert latest.standard["name"].max_length == 120
    assert RegisterStandard.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json: not valid JSON (line 1, column 2"),
        ('{"properties": {"name": {"type": "string", "max_length": -1}}}', "bad.json: name: "),
        ('{"properties": {"name": {"type": "string"}}}', "bad.json: standard_version: "),
    ],
)
def test_errors_name_the_file_and_the_field_and_write_nothing(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("import_register_standard", str(bad))
    assert not RegisterStandard.objects.exists()


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_register_standard", str(tmp_path / "nowhere.json"))
