"""Release comparison: matching by file slug then title (never by URN alone), classes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.builders import make_measure, make_release, make_requirement
from tracker.catalog.compare import PairClass, compare, plain_text, stem
from tracker.catalog.models import CatalogItem

pytestmark = pytest.mark.django_db


def test_stem_drops_number_and_code():
    assert stem(CatalogItem(slug="6-imp-01-politiek-bestuurlijk-besluit", code="imp-01")) == (
        "politiek-bestuurlijk-besluit"
    )
    assert stem(CatalogItem(slug="aia-09-menselijk-toezicht", code="aia-09")) == (
        "menselijk-toezicht"
    )
    assert stem(CatalogItem(slug="DPIA", code="")) == "dpia"


def test_plain_text_ignores_links_markup_and_wrapping():
    a = "## Toelichting { data-search-exclude }\n\nZie [de wet](https://a.nl/x) en\n*dit*.\n"
    b = "## Toelichting\n\n<!-- tags -->\nZie [de wet](https://b.nl/y) en **dit**.\n"
    assert " ".join(plain_text(a).split()) == " ".join(plain_text(b).split())


@pytest.fixture
def two():
    old, new = make_release("v1.0"), make_release("v1.1")
    req_old = make_requirement(old, "aia-09-menselijk-toezicht", code="aia-09", title="Toezicht")
    req_new = make_requirement(new, "aia-09-menselijk-toezicht", code="aia-09", title="Toezicht")
    body = "## Maatregel\n\nLees [de bron](https://a.nl/oud).\n"
    make_measure(
        old,
        "6-imp-01-besluit",
        code="imp-01",
        title="Besluit",
        body=body,
        links=[req_old],
        phases=["implementatie"],
    )
    make_measure(
        new,
        "6-imp-08-besluit",
        code="imp-08",
        title="Besluit",
        body=body.replace("a.nl/oud", "a.nl/nieuw"),
        links=[req_new],
        phases=["implementatie"],
    )
    make_measure(
        old,
        "6-imp-02-uitleg",
        code="imp-02",
        title="Leg uit",
        body="Oud.",
        phases=["implementatie"],
    )
    make_measure(
        new,
        "6-imp-02-andere-naam",
        code="imp-02",
        title="Leg  uit!",
        body="Nieuw.",
        phases=["implementatie", "ontwerp"],
    )
    make_measure(old, "6-imp-03-weg", code="imp-03", title="Weg")
    make_measure(new, "6-imp-01-nieuw", code="imp-01", title="Nieuw")
    return compare(old, new)


def test_classes_and_matching(two):
    form = two.pair_of("6-imp-01-besluit")
    assert form.new.slug == "6-imp-08-besluit"
    assert form.matched_by == "bestandsnaam"
    assert form.klass == PairClass.FORM  # only the URL and the numbering changed
    by_title = two.pair_of("6-imp-02-uitleg")
    assert by_title.new.slug == "6-imp-02-andere-naam"
    assert by_title.matched_by == "titel"
    assert by_title.klass == PairClass.SUBSTANCE
    assert {d.field for d in by_title.substance} == {"tekst", "levenscyclus"}
    assert "titel" in {d.field for d in by_title.differences}  # punctuation only: form
    text = next(d for d in by_title.substance if d.field == "tekst")
    assert (text.removed, text.added) == (("Oud.",), ("Nieuw.",))
    assert two.pair_of("aia-09-menselijk-toezicht").klass == PairClass.UNCHANGED
    assert two.pair_of("6-imp-03-weg").klass == PairClass.REMOVED
    assert [p.new.slug for p in two.of_class(PairClass.ADDED)] == ["6-imp-01-nieuw"]
    # imp-01 names another measure now: flagged, and never matched by URN
    assert [(w.urn, w.old.slug, w.new.slug) for w in two.urn_warnings] == [
        ("urn:nl:ak:mtr:imp-01", "6-imp-01-besluit", "6-imp-01-nieuw")
    ]


# --- the real releases ------------------------------------------------------------


@pytest.fixture
def real(v20, v251):
    out = StringIO()
    call_command("import_content", str(v20), stdout=out)
    call_command("import_content", str(v251), stdout=out)


@pytest.mark.realdata
def test_v20_to_v251(real):
    from tracker.catalog.models import ContentRelease

    comparison = compare(
        ContentRelease.objects.get(label="v2.0"), ContentRelease.objects.get(label="v2.5.1")
    )
    owp = comparison.pair_of("2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding")
    assert owp.new.slug == "2-owp-14-verwerkersovereenkomst-onderdeel-aanbesteding"
    assert owp.matched_by == "bestandsnaam"
    assert owp.klass == PairClass.SUBSTANCE
    besluit = comparison.pair_of("6-imp-09-politiek-bestuurlijk-besluit")
    assert besluit.new.slug == "6-imp-08-politiek-bestuurlijk-besluit"
    assert comparison.pair_of(
        "2-owp-18-leveren-bewijs-voldoen-aan-vereisten-algoritme-aanbieder"
    ).new.slug == ("2-owp-17-leveren-bewijs-voldoen-aan-vereisten-algoritme-aanbieder")
    warning = next(w for w in comparison.urn_warnings if w.urn == "urn:nl:ak:mtr:owp-17")
    assert warning.old.slug == "2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding"
    assert warning.new.slug == "2-owp-17-leveren-bewijs-voldoen-aan-vereisten-algoritme-aanbieder"
    assert warning.old_now.slug == "2-owp-14-verwerkersovereenkomst-onderdeel-aanbesteding"
    counts = comparison.counts()
    assert sum(counts.values()) == len(comparison.pairs)
    assert (
        counts[PairClass.REMOVED]
        + sum(counts[k] for k in (PairClass.UNCHANGED, PairClass.FORM, PairClass.SUBSTANCE))
        == 63 + 105 + 14
    )
    assert (
        counts[PairClass.ADDED]
        + sum(counts[k] for k in (PairClass.UNCHANGED, PairClass.FORM, PairClass.SUBSTANCE))
        == 63 + 108 + 28
    )
    # never matched on the URN alone: v2.5.1's owp-17 is not v2.0's owp-17
    assert all(
        p.new.slug != "2-owp-17-leveren-bewijs-voldoen-aan-vereisten-algoritme-aanbieder"
        or p.old.slug != "2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding"
        for p in comparison.pairs
        if p.old and p.new
    )


@pytest.mark.realdata
def test_command_prints_counts_per_class_and_the_urn_warning(real):
    out = StringIO()
    call_command("compare_releases", "v2.0", "v2.5.1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("v2.0 -> v2.5.1: ")
    for label in (
        "ongewijzigd",
        "alleen in vorm gewijzigd",
        "inhoudelijk gewijzigd",
        "nieuw",
        "vervallen",
    ):
        assert any(line.startswith(f"  {label}: ") for line in lines[1:6])
    assert any(
        line.startswith("  warning: urn:nl:ak:mtr:owp-17 ")
        and "2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding is nu "
        "2-owp-14-verwerkersovereenkomst-onderdeel-aanbesteding"
        in line
        for line in lines
    )
    assert (
        "  maatregel 2-owp-17-verwerkersovereenkomst-onderdeel-aanbesteding -> "
        "2-owp-14-verwerkersovereenkomst-onderdeel-aanbesteding [op bestandsnaam]" in lines
    )


def test_command_unknown_release():
    make_release("v1.0")
    with pytest.raises(CommandError, match=r"no release 'v9'; imported: v1\.0"):
        call_command("compare_releases", "v1.0", "v9")


# --- the catalog page -------------------------------------------------------------


def test_page_compares_the_two_newest_by_default(client, django_user_model, two):
    from django.urls import reverse

    client.force_login(django_user_model.objects.create_user("lezer"))
    response = client.get(reverse("catalog:compare"))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert (comparison.old_release.label, comparison.new_release.label) == ("v1.0", "v1.1")
    html = response.content.decode()
    assert "URN met een andere betekenis (1)" in html
    assert "Inhoudelijk gewijzigd (1)" in html
    assert "<del>Oud.</del>" in html
    assert "<ins>Nieuw.</ins>" in html
    assert "imp-01 → " in html


def test_page_refuses_the_same_release_twice(client, django_user_model, two):
    from django.urls import reverse

    client.force_login(django_user_model.objects.create_user("lezer"))
    response = client.get(reverse("catalog:compare"), {"oud": "v1.1", "nieuw": "v1.1"})
    assert response.context["comparison"] is None
    assert "Kies twee verschillende releases." in response.content.decode()


def test_page_needs_a_login(client):
    from django.urls import reverse

    response = client.get(reverse("catalog:compare"))
    assert response.status_code == 302
