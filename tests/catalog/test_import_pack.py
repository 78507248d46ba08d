"""The project's own content pack (tracker-pack.yaml + criteria) and the benchmark command."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.catalog.conftest import RULES, catalog_snapshot, write_tree
from tracker.catalog.models import CatalogItem, ContentRelease, Taxon

pytestmark = pytest.mark.django_db


def criterion(code: str, stap: str, title: str) -> str:
    return (
        f"---\ntitle: {title}\nid: urn:nl:tracker:crit:{code}\ntoelichting: Waarom {title}.\n"
        f"stap: {stap}\ncriterium: {code}-sleutel\nlevenscyclus:\n- implementatie\n"
        "onderwerp:\n- governance\nrollen:\n- projectleider\n"
        "vereiste:\n- aia-09-menselijk-toezicht\n"
        "maatregel:\n- 6-imp-01-werkinstructies-gebruikers\n"
        "verplicht-bij:\n- impactvol\n- hoog-risico-ai-systeem\n"
        "bewijs:\n- Een document\n---\n\n## Criterium\n\nTekst.\n"
    )


@pytest.fixture
def pack(tmp_path):
    return write_tree(
        tmp_path / "content",
        {
            "tracker-pack.yaml": "label: tracker-pack-1.0\ntitle: Eigen criteria\nversion: '1.0'\n",
            "README.md": "# not imported\n",
            "docs/levenscyclus/implementatie.md": "---\ntitle: Fase 6, implementatie\n---\n",
            "docs/rollen/projectleider.md": "# Projectleider\n",
            f"{RULES}/criteria/6-pil-01-afbakening.md": criterion("pil-01", "pilot", "Afbakening"),
            f"{RULES}/criteria/6-gl-01-werkinstructies.md": criterion(
                "gl-01", "productie", "Werkinstructies"
            ),
        },
    )


def test_pack_is_imported_as_kind_pack(pack):
    out = StringIO()
    call_command("import_content", str(pack), stdout=out)
    lines = out.getvalue().splitlines()

    assert lines[-1] == "tracker-pack-1.0: 2 criteria (added)"
    release = ContentRelease.objects.get()
    assert (release.label, release.kind) == ("tracker-pack-1.0", ContentRelease.Source.PACK)
    items = CatalogItem.objects.in_release(release)
    assert set(items.values_list("kind", flat=True)) == {CatalogItem.Kind.CRITERION}
    gl01 = items.get(code="gl-01")
    assert gl01.urn == "urn:nl:tracker:crit:gl-01"
    assert gl01.front_matter["stap"] == "productie"
    assert gl01.front_matter["vereiste"] == ["aia-09-menselijk-toezicht"]
    assert gl01.front_matter["verplicht-bij"] == ["impactvol", "hoog-risico-ai-systeem"]
    assert gl01.links.count() == 0  # links into the Algoritmekader are not resolved
    assert [t.slug for t in gl01.phases.all()] == ["implementatie"]
    # links into the Algoritmekader are no dangling links; a topic without a page still is
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert warnings == [
        "warning: docs/onderwerpen/governance.md: no such page; topic 'governance' "
        "(used by 2 items) gets the title 'Governance'"
    ]
    assert Taxon.objects.filter(release=release, kind=Taxon.Kind.ROLE).count() == 1


def test_pack_label_can_be_overridden_and_reimport_is_unchanged(pack):
    call_command("import_content", str(pack), "--label", "pack-test", stdout=StringIO())
    out = StringIO()
    call_command("import_content", str(pack), stdout=out)
    assert out.getvalue().splitlines()[-1] == "pack-test: 2 criteria (unchanged)"


def test_pack_without_a_label_is_refused(pack):
    (pack / "tracker-pack.yaml").write_text("title: zonder label\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^tracker-pack.yaml: field 'label': missing$"):
        call_command("import_content", str(pack), stdout=StringIO())
    assert not ContentRelease.objects.exists()


def test_bench_import_prints_timings_and_leaves_no_trace(mini_release):
    out = StringIO()
    call_command("bench_import", str(mini_release()), stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"import_empty seconds=\d+\.\d{3}", lines[0])
    assert re.fullmatch(r"reimport_unchanged seconds=\d+\.\d{3}", lines[1])
    assert set(catalog_snapshot().values()) == {0}


def test_bench_import_refuses_a_database_with_a_release(mini_release):
    call_command("import_content", str(mini_release()), stdout=StringIO())
    with pytest.raises(CommandError, match="already holds a content release"):
        call_command("bench_import", str(mini_release("other")), stdout=StringIO())
