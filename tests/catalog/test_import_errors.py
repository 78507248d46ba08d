"""Bad input: each refused with a non-zero exit, a clear message, and nothing written."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.catalog.conftest import RULES, catalog_snapshot, maatregel, vereiste
from tracker.catalog.models import ContentRelease

pytestmark = pytest.mark.django_db

MEASURE = f"{RULES}/maatregelen/6-imp-01-werkinstructies.md"


@pytest.fixture
def refused(mini_release):
    """refused(changes) -> the CommandError message; asserts the database is unchanged."""

    def check(changes: dict, *, preload: bool = True) -> str:
        if preload:  # an earlier release is present and must stay exactly as it was
            call_command("import_content", str(mini_release("v1")), stdout=StringIO())
        before = catalog_snapshot()
        with pytest.raises(CommandError) as raised:
            call_command("import_content", str(mini_release("v2", changes)), stdout=StringIO())
        assert catalog_snapshot() == before
        return str(raised.value)

    return check


def test_malformed_yaml(refused):
    broken = "---\ntitle: Werkinstructies\nid: [urn:nl:ak:mtr:imp-01\n---\nbody\n"
    message = refused({MEASURE: broken})
    assert message.startswith(f"{MEASURE}: malformed YAML at line ")


def test_missing_id(refused):
    text = maatregel("imp-01", "Werkinstructies", []).replace("id: urn:nl:ak:mtr:imp-01\n", "")
    assert refused({MEASURE: text}) == f"{MEASURE}: field 'id': missing"


def test_missing_title(refused):
    path = f"{RULES}/vereisten/avg-01-rechtmatig.md"
    text = vereiste("avg-01", "Weg").replace("title: Weg\n", "")
    assert refused({path: text}) == f"{path}: field 'title': missing"


def test_list_field_given_as_a_string(refused):
    text = maatregel("imp-01", "Werkinstructies", []).replace(
        "vereiste:\n", "vereiste: aia-09-menselijk-toezicht\n"
    )
    assert refused({MEASURE: text}) == f"{MEASURE}: field 'vereiste': expected a list, got a string"


def test_file_that_is_not_utf8(refused):
    text = maatregel("imp-01", "Werkinstructies café", []).encode("latin-1")
    assert refused({MEASURE: text}).startswith(f"{MEASURE}: not UTF-8 text")


def test_front_matter_that_is_not_a_mapping(refused):
    message = refused({MEASURE: "---\n- a\n- b\n---\nbody\n"})
    assert message == f"{MEASURE}: the front matter is not a mapping of fields"


def test_unclosed_front_matter(refused):
    message = refused({MEASURE: "---\ntitle: x\nid: y\n"})
    assert message == f"{MEASURE}: the front matter (opened by ---) is never closed"


def test_python_tags_are_refused_by_the_safe_loader(refused):
    text = maatregel("imp-01", "x", [], extra="hack: !!python/object/apply:os.system ['true']\n")
    assert "malformed YAML" in refused({MEASURE: text})


def test_yaml_alias_expansion_is_refused(refused):
    bomb = (
        "---\ntitle: x\nid: urn:nl:ak:mtr:imp-01\n"
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "---\n"
    )
    assert refused({MEASURE: bomb}) == f"{MEASURE}: YAML anchors and aliases are not supported"


def test_list_entry_that_is_a_mapping(refused):
    text = maatregel("imp-01", "x", ["a: b"])
    message = refused({MEASURE: text})
    assert message.startswith(f"{MEASURE}: field 'vereiste': expected a list of text values")


def test_audit_csv_with_code_instead_of_a_list_literal(refused):
    csv = "nummer,bron,maatregelen-ak\nDM.3,ADR,__import__('os').system('true')\n"
    message = refused({"relatie-ak-tot-toetsingskaders.csv": csv})
    assert message.startswith(
        "relatie-ak-tot-toetsingskaders.csv: field 'maatregelen-ak': line 2: expected a list"
    )


def test_audit_csv_with_unknown_framework(refused):
    csv = "nummer,bron,maatregelen-ak\nDM.3,XYZ,[]\n"
    message = refused({"relatie-ak-tot-toetsingskaders.csv": csv})
    assert message == (
        "relatie-ak-tot-toetsingskaders.csv: field 'bron': line 2: expected ARK or ADR, got 'XYZ'"
    )


def test_label_already_used_by_other_content(mini_release):
    call_command("import_content", str(mini_release("v2")), stdout=StringIO())
    before = catalog_snapshot()
    changed = {MEASURE: maatregel("imp-01", "Gewijzigde titel", [])}
    other = mini_release("elders", changed)
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(other), "--label", "v2", stdout=StringIO())
    assert str(raised.value) == "label v2 is already used by another import; pass --label"
    assert catalog_snapshot() == before


def test_source_without_docs_folder(tmp_path):
    (tmp_path / "leeg").mkdir()
    with pytest.raises(CommandError, match=r"no docs/ folder"):
        call_command("import_content", str(tmp_path / "leeg"), stdout=StringIO())
    assert not ContentRelease.objects.exists()


def test_source_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="no such folder or file"):
        call_command("import_content", str(tmp_path / "nergens"), stdout=StringIO())


def test_unsupported_url_scheme():
    with pytest.raises(CommandError, match="only http and https URLs are supported"):
        call_command("import_content", "file:///etc/passwd", stdout=StringIO())


def test_symlinked_content_file_is_refused(mini_release, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(vereiste("avg-02", "Geheim"), encoding="utf-8")
    root = mini_release()
    (root / f"{RULES}/vereisten/avg-02-link.md").symlink_to(secret)
    with pytest.raises(CommandError, match="not a regular file"):
        call_command("import_content", str(root), stdout=StringIO())
    assert not ContentRelease.objects.exists()
