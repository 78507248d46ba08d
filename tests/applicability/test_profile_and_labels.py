"""AIProfile and the label names, including coverage of the real content's values."""

import pytest

from tracker.applicability.labels import (
    DIMENSION_CHOICES,
    DIMENSIONS,
    DIMENSIONS_BY_SLUG,
    ROL_AI_ACT_CHOICES,
    dimension_name,
    is_known_label,
    label_name,
    split_label,
    value_name,
)
from tracker.applicability.profile import AIProfile

from .helpers import REQUIREMENT, deployer_profile, load_front_matter


def test_to_labels_gives_one_label_per_value_and_per_role():
    profile = deployer_profile(rol_ai_act=frozenset({"aanbieder", "gebruiksverantwoordelijke"}))
    assert profile.to_labels() == {
        "soort-toepassing-ai-systeem",
        "risicogroep-hoog-risico-ai-systeem",
        "rol-ai-act-aanbieder",
        "rol-ai-act-gebruiksverantwoordelijke",
        "transparantieverplichting-geen-transparantieverplichting",
        "systeemrisico-niet-van-toepassing",
        "open-source-geen-open-source",
    }


def test_roles_given_as_list_become_a_frozenset():
    profile = deployer_profile(rol_ai_act=["aanbieder", "aanbieder"])
    assert profile.rol_ai_act == frozenset({"aanbieder"})
    assert hash(profile) == hash(deployer_profile(rol_ai_act=frozenset({"aanbieder"})))


def test_unknown_value_is_refused():
    with pytest.raises(ValueError, match="risicogroep: unknown value"):
        deployer_profile(risicogroep="hoog-risico")
    with pytest.raises(ValueError, match="rol-ai-act: unknown value"):
        deployer_profile(rol_ai_act=frozenset({"gebruiker"}))


def test_ai_system_needs_every_dimension():
    with pytest.raises(ValueError, match="open-source: an AI system needs a value"):
        deployer_profile(open_source="")
    with pytest.raises(ValueError, match="rol-ai-act: an AI system needs a value"):
        deployer_profile(rol_ai_act=frozenset())


def test_not_ai_profile_has_no_labels():
    profile = AIProfile.not_ai(impactful=True)
    assert not profile.is_ai_system
    assert profile.impactful
    assert profile.to_labels() == frozenset()


def test_dutch_names():
    assert dimension_name("rol-ai-act") == "Rol onder de AI-verordening"
    assert value_name("rol-ai-act", "gebruiksverantwoordelijke") == "Gebruiksverantwoordelijke"
    assert value_name("risicogroep", "hoog-risico-ai-systeem") == "Hoog-risico-AI-systeem"
    assert label_name("risicogroep-hoog-risico-ai-systeem") == (
        "Risicogroep: Hoog-risico-AI-systeem"
    )
    assert label_name("open-source-geen-open-source") == "Open source: Geen open source"
    assert label_name("onbekend-label") == "onbekend-label"
    assert value_name("risicogroep", "beperkt-risico") == "beperkt-risico"


def test_choices_are_form_choices():
    assert ("gebruiksverantwoordelijke", "Gebruiksverantwoordelijke") in ROL_AI_ACT_CHOICES
    assert ("rol-ai-act", "Rol onder de AI-verordening") in DIMENSION_CHOICES
    for dim in DIMENSIONS:
        assert all(isinstance(v, str) and isinstance(n, str) and n for v, n in dim.choices)
        assert len(dim.values) == len(dim.choices)


def test_split_label_finds_hyphenated_dimensions():
    assert split_label("open-source-open-source") == ("open-source", "open-source")
    assert split_label("rol-ai-act-aanbieder") == ("rol-ai-act", "aanbieder")
    assert split_label("transparantieverplichting-transparantieverplichting") == (
        "transparantieverplichting",
        "transparantieverplichting",
    )
    assert split_label("risicogroep") is None
    assert split_label("rol-aanbieder") is None
    assert is_known_label("systeemrisico-geen-systeemrisico")
    assert not is_known_label("systeemrisico-groot")


@pytest.mark.parametrize("release", ["v251", "v20"])
def test_every_label_value_in_the_real_content_is_known(release, request):
    folder = request.getfixturevalue(release)
    seen: dict[str, set[str]] = {}
    for metadata in load_front_matter(folder, REQUIREMENT).values():
        for key in (*DIMENSIONS_BY_SLUG, "publicatiecategorie"):
            slug = "risicogroep" if key == "publicatiecategorie" else key
            for value in metadata.get(key) or ():
                seen.setdefault(slug, set()).add(value)
    assert seen, "no labels found"
    for slug, values in seen.items():
        assert values <= DIMENSIONS_BY_SLUG[slug].values, slug
