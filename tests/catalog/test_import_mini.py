"""The importer on a small hand-made release: what it writes, warns and reports."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from tests.catalog.conftest import RULES, catalog_snapshot, maatregel
from tracker.catalog.importer import import_release
from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon

pytestmark = pytest.mark.django_db


def run(source, *args) -> list[str]:
    out = StringIO()
    call_command("import_content", str(source), *args, stdout=out)
    return out.getvalue().splitlines()


def warnings_of(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("warning: ")]


def test_import_writes_items_taxa_laws_and_norms(mini_release):
    root = mini_release("v9.9")
    lines = run(root)

    assert lines[-1] == "v9.9: 2 vereisten, 2 maatregelen, 1 hulpmiddelen (added)"
    assert any(line.startswith("reading 2 vereisten") for line in lines)
    release = ContentRelease.objects.get()
    assert release.label == "v9.9"
    assert release.kind == ContentRelease.Source.ALGORITMEKADER
    assert release.source == str(root.resolve())
    assert release.counts["requirement"] == 2
    assert release.counts["measure"] == 2
    assert release.counts["instrument"] == 1
    items = CatalogItem.objects.in_release(release)
    assert items.count() == 5  # index.md files are not items

    aia = items.get(kind="requirement", slug="aia-09-menselijk-toezicht")
    assert (aia.urn, aia.code, aia.title) == (
        "urn:nl:ak:ver:aia-09",
        "aia-09",
        "Menselijk toezicht",
    )
    assert aia.path == f"{RULES}/vereisten/aia-09-menselijk-toezicht.md"
    raw = (root / aia.path).read_bytes()
    assert aia.fingerprint == hashlib.sha256(raw).hexdigest()
    assert aia.summary == "Uitleg bij Menselijk toezicht."
    assert "met é en ’" in aia.body
    assert not aia.body.startswith("---")
    assert aia.labels == {"risicogroep": ["hoog-risico-ai-systeem"]}
    assert aia.exceptions == ["risicogroep-uitzondering-van-toepassing"]
    assert aia.law.name == "AI-verordening"
    assert aia.front_matter["id"] == "urn:nl:ak:ver:aia-09"
    assert items.get(code="avg-01").law.name == "Algemene verordening gegevensbescherming"

    imp = items.get(kind="measure", code="imp-01")
    assert imp.sources == {"ARK": ["3.10"], "ADR": ["DM.3"]}  # 3.10 stays text
    assert {i.slug for i in imp.links.all()} == {"aia-09-menselijk-toezicht", "avg-01-rechtmatig"}
    assert [t.slug for t in imp.phases.order_by("position")] == ["ontwerp", "implementatie"]
    assert [t.slug for t in imp.topics.all()] == ["transparantie"]
    assert [t.slug for t in imp.roles.all()] == ["projectleider"]
    assert imp.law is None

    dpia = items.get(kind="instrument")
    assert (dpia.slug, dpia.urn, dpia.code) == ("DPIA", "", "")
    assert {(i.kind, i.slug) for i in dpia.links.all()} == {
        ("requirement", "avg-01-rechtmatig"),
        ("measure", "6-imp-01-werkinstructies"),
    }

    phases = Taxon.objects.filter(release=release, kind=Taxon.Kind.PHASE)
    assert [(t.slug, t.position, t.title) for t in phases.order_by("position")] == [
        ("ontwerp", 1, "Fase 2: Ontwerp"),  # no title in front matter: first heading
        ("implementatie", 5, "Fase 6, implementatie"),
    ]
    assert set(Law.objects.filter(release=release).values_list("code", flat=True)) == {
        "aia",
        "avg",
    }
    norms = {str(n): n for n in AuditNorm.objects.filter(release=release)}
    assert set(norms) == {"ADR DM.3", "ARK 3.10"}
    assert {m.code for m in norms["ARK 3.10"].measures.all()} == {"imp-01", "imp-02"}


def test_flaws_are_warnings_never_fabricated_items(mini_release):
    lines = run(mini_release())
    warnings = warnings_of(lines)

    dangling = f"warning: {RULES}/maatregelen/6-imp-02-uitleg.md: field 'vereiste': "
    assert (
        warnings.count(dangling + "no vereiste 'aia-09-menselijke-toezicht' in this release") == 1
    )
    assert not CatalogItem.objects.filter(slug="aia-09-menselijke-toezicht").exists()
    assert (
        f"warning: {RULES}/hulpmiddelen/DPIA.md: field 'maatregel': 1 empty list entry skipped"
        in warnings
    )
    privacy = Taxon.objects.get(kind=Taxon.Kind.TOPIC, slug="privacy")
    assert privacy.title == "Privacy"
    assert any(w.startswith("warning: docs/onderwerpen/privacy.md: no such page") for w in warnings)
    assert len(warnings) == 3
    assert ContentRelease.objects.get().warnings == [w.removeprefix("warning: ") for w in warnings]


def test_duplicate_urn_gives_two_items_and_a_warning(mini_release):
    twin = maatregel("imp-01", "Een ander item met dezelfde URN", ["avg-01-rechtmatig"])
    lines = run(mini_release(changes={f"{RULES}/maatregelen/6-imp-09-tweeling.md": twin}))

    items = CatalogItem.objects.filter(urn="urn:nl:ak:mtr:imp-01")
    assert sorted(items.values_list("title", flat=True)) == [
        "Een ander item met dezelfde URN",
        "Werkinstructies",
    ]
    urn_warnings = [w for w in warnings_of(lines) if "URN urn:nl:ak:mtr:imp-01" in w]
    assert len(urn_warnings) == 3  # one for the item, one per audit norm that names the URN
    assert urn_warnings[0] == (
        f"warning: {RULES}/maatregelen/6-imp-09-tweeling.md: URN urn:nl:ak:mtr:imp-01 is also "
        f"carried by {RULES}/maatregelen/6-imp-01-werkinstructies.md; "
        "imported as two distinct items"
    )
    norm = AuditNorm.objects.get(number="DM.3")
    assert norm.measures.count() == 2  # a norm URN carried by two items maps to both


def test_unknown_law_and_unknown_norm_urn_are_warnings(mini_release):
    csv = "nummer,bron,maatregelen-ak\nDM.9,ADR,['urn:nl:ak:mtr:zzz-99']\n"
    root = mini_release(
        changes={
            "includes/begrippenlijst.md": "*[AIA]: AI-verordening\n",
            "relatie-ak-tot-toetsingskaders.csv": csv,
        }
    )
    warnings = warnings_of(run(root))

    assert "warning: includes/begrippenlijst.md: no name for law code 'avg'; using 'AVG'" in (
        warnings
    )
    assert Law.objects.get(code="avg").name == "AVG"
    assert (
        "warning: relatie-ak-tot-toetsingskaders.csv: ADR DM.9: no maatregel with URN "
        "urn:nl:ak:mtr:zzz-99" in warnings
    )
    assert AuditNorm.objects.get(number="DM.9").measures.count() == 0


def test_second_import_of_same_content_adds_nothing(mini_release):
    root = mini_release()
    run(root)
    before = catalog_snapshot()

    lines = run(root)

    assert lines[-1] == "v9.9: 2 vereisten, 2 maatregelen, 1 hulpmiddelen (unchanged)"
    assert not warnings_of(lines)
    assert catalog_snapshot() == before


def test_same_content_under_another_label_is_still_unchanged(mini_release):
    run(mini_release("v9.9"))
    lines = run(mini_release("copy"), "--label", "other")
    assert lines[-1].startswith("v9.9: ")  # the existing label
    assert lines[-1].endswith("(unchanged)")
    assert ContentRelease.objects.count() == 1


def test_python_api_returns_the_result(mini_release):
    first = import_release(mini_release(), label="eigen-label")
    again = import_release(mini_release())

    assert first.created is True
    assert first.release.label == "eigen-label"
    assert len(first.warnings) == 3
    assert again.created is False
    assert again.release == first.release
    assert again.summary == "eigen-label: 2 vereisten, 2 maatregelen, 1 hulpmiddelen (unchanged)"


def test_front_matter_is_json_safe(mini_release):
    extra = "datum: 2024-12-01\nhide: navigation\n"
    changed = maatregel("imp-03", "Met datum", [], extra=extra)
    run(mini_release(changes={f"{RULES}/maatregelen/6-imp-03-datum.md": changed}))
    item = CatalogItem.objects.get(code="imp-03")
    item.refresh_from_db()
    assert item.front_matter["datum"] == "2024-12-01"
    assert item.front_matter["hide"] == "navigation"
    assert item.front_matter["vereiste"] is None
    assert item.links.count() == 0
