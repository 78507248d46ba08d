"""Acceptance on the real Algoritmekader releases v2.0 and v2.5.1 (skipped where absent)."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.conftest import RULES, catalog_snapshot
from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

MEASURES = f"{RULES}/maatregelen/"
INSTRUMENTS = f"{RULES}/hulpmiddelen/"


def run(source, *args) -> list[str]:
    out = StringIO()
    call_command("import_content", str(source), *args, stdout=out)
    return out.getvalue().splitlines()


def warnings_of(lines: list[str], *, prefix: str = "", containing: str = "") -> list[str]:
    return [line for line in lines if line.startswith(f"warning: {prefix}") and containing in line]


def test_the_real_release_archive_then_its_folder(v251_archive, v251):
    """The archive upstream publishes (with its in-archive link) imports; the folder of
    the same release is then the same content."""
    lines = run(v251_archive)
    assert lines[-1] == ("v2.5.1: 63 vereisten, 108 maatregelen, 28 hulpmiddelen (added)")
    release = ContentRelease.objects.get()
    assert release.counts["instrument"] == 28
    assert CatalogItem.objects.in_release(release).requirements().count() == 63
    assert CatalogItem.objects.in_release(release).measures().count() == 108
    assert run(v251)[-1] == ("v2.5.1: 63 vereisten, 108 maatregelen, 28 hulpmiddelen (unchanged)")
    assert ContentRelease.objects.count() == 1


def test_v251(v251):
    lines = run(v251)

    assert lines[-1] == "v2.5.1: 63 vereisten, 108 maatregelen, 28 hulpmiddelen (added)"
    release = ContentRelease.objects.get(label="v2.5.1")
    items = CatalogItem.objects.in_release(release)
    assert items.requirements().count() == 63
    assert items.measures().count() == 108
    assert items.filter(kind=CatalogItem.Kind.INSTRUMENT).count() == 28
    assert items.requirements().in_phase("implementatie").count() == 12
    assert items.measures().in_phase("implementatie").count() == 20

    assert len(warnings_of(lines, containing="imported as two distinct items")) == 0
    dangling = warnings_of(lines, prefix=MEASURES, containing="field 'vereiste': no vereiste")
    assert len(dangling) == 6
    assert (
        f"warning: {MEASURES}2-owp-35-genereren-bronvermelding.md: field 'vereiste': "
        "no vereiste 'aia-09-menselijke-toezicht' in this release" in dangling
    )
    instrument_dangling = warnings_of(lines, prefix=INSTRUMENTS, containing="': no ")
    instrument_empty = warnings_of(lines, prefix=INSTRUMENTS, containing="empty list entr")
    assert len(instrument_dangling) == 3
    assert len(instrument_empty) == 2  # `vereiste:` followed by a bare `-`, in two files
    assert not items.filter(slug="aia-09-menselijke-toezicht").exists()

    assert Taxon.objects.filter(release=release, kind=Taxon.Kind.PHASE).count() == 9
    assert list(
        Taxon.objects.filter(release=release, kind=Taxon.Kind.PHASE)
        .order_by("position")
        .values_list("slug", flat=True)
    ) == [
        "probleemanalyse",
        "ontwerp",
        "dataverkenning-en-datapreparatie",
        "ontwikkelen",
        "verificatie-en-validatie",
        "implementatie",
        "monitoring-en-beheer",
        "uitfaseren",
        "organisatieverantwoordelijkheden",
    ]
    assert Taxon.objects.filter(release=release, kind=Taxon.Kind.ROLE).count() == 4
    assert Law.objects.get(release=release, code="avg").name == (
        "Algemene Verordening Gegevensbescherming"
    )
    assert items.requirements().under_law("aia").count() == 40

    imp01 = items.get(kind=CatalogItem.Kind.MEASURE, code="imp-01")
    assert imp01.slug == "6-imp-01-werkinstructies-gebruikers"
    assert imp01.fingerprint == hashlib.sha256((v251 / imp01.path).read_bytes()).hexdigest()
    assert imp01.sources["ARK"] == ["3.07"]
    assert "aia-09-menselijk-toezicht" in {i.slug for i in imp01.links.all()}
    assert {str(n) for n in imp01.norms.all()} >= {"ADR DM.3", "ARK 3.07"}
    assert AuditNorm.objects.filter(release=release).count() == 139
    assert release.counts["norm"] == 139


def test_v20(v20):
    lines = run(v20)

    assert lines[-1] == "v2.0: 63 vereisten, 105 maatregelen, 14 hulpmiddelen (added)"
    release = ContentRelease.objects.get(label="v2.0")
    items = CatalogItem.objects.in_release(release)
    assert items.requirements().in_phase("implementatie").count() == 12
    assert items.measures().in_phase("implementatie").count() == 20

    duplicates = warnings_of(lines, containing="imported as two distinct items")
    assert len(duplicates) == 3
    for urn in ("urn:nl:ak:mtr:owp-11", "urn:nl:ak:mtr:mon-05", "urn:nl:ak:mtr:owk-09"):
        assert items.filter(urn=urn).count() == 2
        assert sum(urn in line for line in duplicates) == 1
    dangling = warnings_of(lines, prefix=MEASURES, containing="field 'vereiste': no vereiste")
    assert len(dangling) == 7
    instrument_dangling = warnings_of(lines, prefix=INSTRUMENTS, containing="': no ")
    instrument_empty = warnings_of(lines, prefix=INSTRUMENTS, containing="empty list entr")
    assert len(instrument_dangling) == 24
    assert len(instrument_empty) == 1  # BIO.md: `maatregel:` followed by a bare `-`
    assert not AuditNorm.objects.filter(release=release).exists()  # no csv in v2.0


def test_reimport_unchanged_adds_nothing(v251):
    run(v251)
    before = catalog_snapshot()

    lines = run(v251)

    assert lines[-1] == "v2.5.1: 63 vereisten, 108 maatregelen, 28 hulpmiddelen (unchanged)"
    assert not warnings_of(lines)
    assert catalog_snapshot() == before


def test_two_releases_side_by_side(v20, v251):
    run(v20)
    old_rows = list(
        CatalogItem.objects.filter(release__label="v2.0").values_list("pk", "slug", "title", "urn")
    )

    with CaptureQueriesContext(connection) as queries:
        run(v251)

    # only reads and bulk inserts: nothing existing is updated or deleted, no per-row queries
    verbs = {q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries}
    assert verbs <= {"SELECT", "INSERT", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"}
    assert len(queries.captured_queries) < 40
    assert set(ContentRelease.objects.values_list("label", flat=True)) == {"v2.0", "v2.5.1"}
    assert (
        list(
            CatalogItem.objects.filter(release__label="v2.0").values_list(
                "pk", "slug", "title", "urn"
            )
        )
        == old_rows
    )
    owp17 = CatalogItem.objects.filter(urn="urn:nl:ak:mtr:owp-17")
    old = owp17.get(release__label="v2.0")
    new = owp17.get(release__label="v2.5.1")
    assert old.pk != new.pk
    assert old.title != new.title
    assert "verwerkersovereenkomst" in old.title.lower()
    # links stay inside their own release
    for release in ContentRelease.objects.all():
        linked = CatalogItem.links.through.objects.filter(from_catalogitem__release=release)
        assert not linked.exclude(to_catalogitem__release=release).exists()


def test_v20_publicatiecategorie_is_read_as_risicogroep(v20):
    call_command("import_content", str(v20), stdout=StringIO())
    aia03 = CatalogItem.objects.get(release__label="v2.0", code="aia-03")
    assert aia03.labels["risicogroep"] == ["hoog-risico-ai-systeem"]
    assert "publicatiecategorie" not in aia03.labels
