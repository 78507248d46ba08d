"""Applicability on the real Algoritmekader content.

The expected lists below were written by reading the front matter of v2.5.1 by hand
(labels, ``uitzondering`` and ``vereiste`` links of every item), not computed.

Phase ``implementatie`` of v2.5.1 has 12 vereisten and 20 maatregelen:

- aia-14..17 are for providers (``rol-ai-act: aanbieder``) of high-risk AI;
- aia-20, -24, -25 are for deployers (``gebruiksverantwoordelijke``) of high-risk AI;
- aia-28 is for providers with a transparency obligation, and carries the open-source
  exemption; avg-07, avg-10, awb-02, bzk-01 list every label value;
- every maatregel links at least one non-aia vereiste, except dat-06 (no links) and
  imp-09 (only aia-10, a high-risk provider obligation).
"""

from collections.abc import Sequence
from dataclasses import replace

import pytest

from tracker.applicability.items import ContentItem
from tracker.applicability.profile import AIProfile
from tracker.applicability.rules import (
    MEASURE,
    REQUIREMENT,
    ReasonCode,
    Verdict,
    checklist_for,
    requirement_verdicts,
)

from .helpers import deployer_profile, load_front_matter

PHASE = "implementatie"

IMPLEMENTATIE_REQUIREMENTS = [
    "aia-14-conformiteitsbeoordeling",
    "aia-15-eu-conformiteitsverklaring",
    "aia-16-ce-markering",
    "aia-17-registratieverplichtingen",
    "aia-20-gebruiksverantwoordelijken-maatregelen",
    "aia-24-informeren-werknemers",
    "aia-25-gebruiksverantwoordelijken-registratieverplichtingen",
    "aia-28-transparantieverplichtingen",
    "avg-07-transparantie-bij-verwerken-persoonsgegevens",
    "avg-10-recht-op-niet-geautomatiseerde-besluitvorming",
    "awb-02-motiveringsbeginsel",
    "bzk-01-algoritmeregister",
]
IMPLEMENTATIE_MEASURES = [
    "0-org-15-discriminatieprotocol",
    "1-pba-04-betrek-belanghebbenden",
    "2-owp-01-rollen-en-verantwoordelijkheden",
    "2-owp-03-doel-verwerken-persoonsgegevens",
    "2-owp-10-projectstartarchitectuur",
    "2-owp-19-beoordeel-aansprakelijkheidsvoorwaarden-van-aanbieder",
    "2-owp-29-contractuele-afspraken-data-en-artefacten",
    "3-dat-06-duurzame-datacenters",
    "4-owk-02-stopzetten-gebruik",
    "4-owk-10-voorkom-lekken-op-basis-van-output",
    "4-owk-11-documenteer-parameters",
    "6-imp-01-werkinstructies-gebruikers",
    "6-imp-02-aselecte-steekproeven",
    "6-imp-03-menselijke-tussenkomst",
    "6-imp-04-publiceren-algoritmeregister",
    "6-imp-05-vermelding-in-privacyverklaring",
    "6-imp-06-klacht-bezwaar-beroep",
    "6-imp-07-vermelding-in-verwerkingsregister",
    "6-imp-08-politiek-bestuurlijk-besluit",
    "6-imp-09-interventies-ux",
]
ALL_MEASURES_BUT_IMP_09 = [slug for slug in IMPLEMENTATIE_MEASURES if "imp-09" not in slug]
ONLY_NON_AIA_REQUIREMENTS = [
    "avg-07-transparantie-bij-verwerken-persoonsgegevens",
    "avg-10-recht-op-niet-geautomatiseerde-besluitvorming",
    "awb-02-motiveringsbeginsel",
    "bzk-01-algoritmeregister",
]

PROFILES = {
    # (a) a high-risk AI system whose organisation is the deployer, not open source
    "a-hoog-risico-gebruiksverantwoordelijke": deployer_profile(),
    # (b) a non-high-risk AI system, open source, no transparency obligation
    "b-open-source-geen-hoog-risico": AIProfile(
        is_ai_system=True,
        soort_toepassing="ai-systeem",
        risicogroep="geen-hoog-risico-ai-systeem",
        rol_ai_act=frozenset({"aanbieder"}),
        transparantieverplichting="geen-transparantieverplichting",
        systeemrisico="niet-van-toepassing",
        open_source="open-source",
        impactful=False,
    ),
    # (c) an impactful algorithm that is not an AI system
    "c-impactvol-geen-ai": AIProfile.not_ai(impactful=True),
    # (d) extra: high-risk AI, both provider and deployer, with a transparency obligation
    "d-aanbieder-en-gebruiksverantwoordelijke": deployer_profile(
        rol_ai_act=frozenset({"aanbieder", "gebruiksverantwoordelijke"}),
        transparantieverplichting="transparantieverplichting",
    ),
}

EXPECTED_APPLICABLE = {
    "a-hoog-risico-gebruiksverantwoordelijke": [
        "aia-20-gebruiksverantwoordelijken-maatregelen",
        "aia-24-informeren-werknemers",
        "aia-25-gebruiksverantwoordelijken-registratieverplichtingen",
        *ONLY_NON_AIA_REQUIREMENTS,
        *ALL_MEASURES_BUT_IMP_09,
    ],
    "b-open-source-geen-hoog-risico": [*ONLY_NON_AIA_REQUIREMENTS, *ALL_MEASURES_BUT_IMP_09],
    "c-impactvol-geen-ai": [*ONLY_NON_AIA_REQUIREMENTS, *ALL_MEASURES_BUT_IMP_09],
    "d-aanbieder-en-gebruiksverantwoordelijke": [
        *IMPLEMENTATIE_REQUIREMENTS,
        *IMPLEMENTATIE_MEASURES,
    ],
}

ITEM_CASES = [
    (scenario, slug, slug in EXPECTED_APPLICABLE[scenario])
    for scenario in PROFILES
    for slug in IMPLEMENTATIE_REQUIREMENTS + IMPLEMENTATIE_MEASURES
]


def checklist(items: Sequence[ContentItem], scenario: str) -> dict[str, Verdict]:
    applicable, not_applicable = checklist_for(items, PHASE, PROFILES[scenario])
    return {item.slug: verdict for item, verdict in applicable + not_applicable}


def texts(items: Sequence[ContentItem], scenario: str, slug: str) -> list[str]:
    return checklist(items, scenario)[slug].texts


def test_phase_holds_the_expected_items(v251_items):
    in_phase = [item for item in v251_items if PHASE in item.phases]
    assert [i.slug for i in in_phase if i.kind == REQUIREMENT] == IMPLEMENTATIE_REQUIREMENTS
    assert [i.slug for i in in_phase if i.kind == MEASURE] == IMPLEMENTATIE_MEASURES
    codes = {item.slug: item.code for item in in_phase}
    assert codes["aia-20-gebruiksverantwoordelijken-maatregelen"] == "aia-20"
    assert codes["6-imp-09-interventies-ux"] == "imp-09"


@pytest.mark.parametrize(("scenario", "slug", "applies"), ITEM_CASES)
def test_item_by_item(v251_items, scenario, slug, applies):
    verdict = checklist(v251_items, scenario)[slug]
    assert verdict.applies is applies
    assert verdict.reasons, "every verdict explains itself"


@pytest.mark.parametrize("scenario", list(PROFILES))
def test_lists_are_complete_and_ordered(v251_items, scenario):
    applicable, not_applicable = checklist_for(v251_items, PHASE, PROFILES[scenario])
    assert [item.slug for item, _ in applicable] == EXPECTED_APPLICABLE[scenario]
    everything = IMPLEMENTATIE_REQUIREMENTS + IMPLEMENTATIE_MEASURES
    expected_not = [slug for slug in everything if slug not in EXPECTED_APPLICABLE[scenario]]
    assert [item.slug for item, _ in not_applicable] == expected_not


# --- (a) high-risk deployer ---------------------------------------------------------

A = "a-hoog-risico-gebruiksverantwoordelijke"


def test_a_deployer_requirement_explained_by_its_labels(v251_items):
    assert texts(v251_items, A, "aia-24-informeren-werknemers") == [
        "Soort toepassing: AI-systeem komt voor in de vereiste",
        "Risicogroep: Hoog-risico-AI-systeem komt voor in de vereiste",
        "Rol onder de AI-verordening: Gebruiksverantwoordelijke komt voor in de vereiste",
        "Transparantieverplichting: Geen transparantieverplichting komt voor in de vereiste",
        "Systeemrisico: Niet van toepassing komt voor in de vereiste",
        "Open source: Geen open source komt voor in de vereiste",
        "Uitzondering (Risicogroep: Uitzondering van toepassing) is niet van toepassing",
    ]


def test_a_provider_requirements_excluded_by_role(v251_items):
    assert texts(v251_items, A, "aia-14-conformiteitsbeoordeling") == [
        "Rol onder de AI-verordening: Gebruiksverantwoordelijke komt niet voor in de vereiste "
        "(wel: Aanbieder)"
    ]
    assert texts(v251_items, A, "aia-28-transparantieverplichtingen") == [
        "Rol onder de AI-verordening: Gebruiksverantwoordelijke komt niet voor in de vereiste "
        "(wel: Aanbieder)",
        "Transparantieverplichting: Geen transparantieverplichting komt niet voor in de "
        "vereiste (wel: Transparantieverplichting)",
    ]


def test_a_measures_explained_by_their_applicable_links(v251_items):
    # imp-01 links aia-01, awb-01, aia-28, aia-09, grw-02, aia-21 (in that order)
    assert texts(v251_items, A, "6-imp-01-werkinstructies-gebruikers") == [
        "Gekoppeld aan toepasselijke vereiste aia-01",
        "Gekoppeld aan toepasselijke vereiste awb-01",
        "Gekoppeld aan toepasselijke vereiste grw-02",
        "Gekoppeld aan toepasselijke vereiste aia-21",
    ]
    assert texts(v251_items, A, "6-imp-09-interventies-ux") == [
        "Niet gekoppeld aan een toepasselijke vereiste (gekoppeld: aia-10)"
    ]
    assert texts(v251_items, A, "3-dat-06-duurzame-datacenters") == ["Koppelt aan geen vereiste"]


def test_a_ai_act_requirements_over_all_phases(v251_items):
    verdicts = requirement_verdicts(v251_items, PROFILES[A])
    applying_aia = sorted(v.code for v in verdicts.values() if v.applies and v.code[:3] == "aia")
    assert applying_aia == [
        "aia-01", "aia-20", "aia-21", "aia-22", "aia-23", "aia-24", "aia-25", "aia-26",
        "aia-27", "aia-33", "aia-36",
    ]  # fmt: skip
    assert all(v.applies for v in verdicts.values() if v.code[:3] != "aia")


# --- (b) open source, not high-risk: the open-source exemption ----------------------------

B = "b-open-source-geen-hoog-risico"
OSS_EXEMPTION = (
    '("soort-toepassing-ai-systeem-voor-algemene-doeleinden" || "soort-toepassing-ai-systeem")'
    ' && "open-source-open-source" && "transparantieverplichting-geen-transparantieverplichting"'
    ' && "risicogroep-geen-hoog-risico-ai-systeem"'
)
OSS_EXEMPTION_DUTCH = (
    "(Soort toepassing: AI-systeem voor algemene doeleinden of Soort toepassing: AI-systeem)"
    " en Open source: Open source en Transparantieverplichting: Geen transparantieverplichting"
    " en Risicogroep: Geen hoog-risico-AI-systeem"
)


def test_b_aia_28_excluded_by_label_and_by_the_open_source_exemption(v251_items):
    verdict = checklist(v251_items, B)["aia-28-transparantieverplichtingen"]
    assert [r.code for r in verdict.reasons] == [
        ReasonCode.LABEL_MISMATCH,
        ReasonCode.EXCEPTION_MATCHED,
    ]
    assert verdict.texts[1] == f"Uitzondering ({OSS_EXEMPTION_DUTCH}) is van toepassing"


def test_b_open_source_exemption_decides_over_all_phases(v251_items):
    """aia-01, -02, -33, -36, -37 match profile (b) on every label; only the exemption
    excludes them. Without open source, exactly these five apply."""
    exempted = ["aia-01", "aia-02", "aia-33", "aia-36", "aia-37"]
    verdicts = {v.code: v for v in requirement_verdicts(v251_items, PROFILES[B]).values()}
    for code in exempted:
        assert not verdicts[code].applies, code
        assert [r.code for r in verdicts[code].reasons] == [ReasonCode.EXCEPTION_MATCHED], code
    assert not [c for c, v in verdicts.items() if v.applies and c.startswith("aia")]

    closed = replace(PROFILES[B], open_source="geen-open-source")
    closed_verdicts = requirement_verdicts(v251_items, closed).values()
    assert sorted(v.code for v in closed_verdicts if v.applies and v.code[:3] == "aia") == exempted


def test_b_measure_links_to_exempted_requirement_do_not_count(v251_items):
    assert texts(v251_items, B, "6-imp-01-werkinstructies-gebruikers") == [
        "Gekoppeld aan toepasselijke vereiste awb-01",
        "Gekoppeld aan toepasselijke vereiste grw-02",
    ]


def test_b_non_aia_requirement_applies_on_its_universal_labels(v251_items):
    assert texts(v251_items, B, "bzk-01-algoritmeregister") == [
        "Soort toepassing: AI-systeem komt voor in de vereiste",
        "Risicogroep: Geen hoog-risico-AI-systeem komt voor in de vereiste",
        "Rol onder de AI-verordening: Aanbieder komt voor in de vereiste",
        "Transparantieverplichting: Geen transparantieverplichting komt voor in de vereiste",
        "Systeemrisico: Niet van toepassing komt voor in de vereiste",
        "Open source: Open source komt voor in de vereiste",
    ]


# --- (c) impactful, not an AI system ---------------------------------------------------

C = "c-impactvol-geen-ai"


def test_c_explanations(v251_items):
    for slug in IMPLEMENTATIE_REQUIREMENTS[:8]:
        assert texts(v251_items, C, slug) == [
            "Geen AI-systeem: AI-verordening (aia) is niet van toepassing"
        ], slug
    assert texts(v251_items, C, "avg-10-recht-op-niet-geautomatiseerde-besluitvorming") == [
        "Geen AI-systeem: vereisten uit avg gelden voor elk algoritme (AI-labels tellen niet mee)"
    ]
    assert texts(v251_items, C, "6-imp-04-publiceren-algoritmeregister") == [
        "Gekoppeld aan toepasselijke vereiste bzk-01",
        "Gekoppeld aan toepasselijke vereiste avg-07",
        "Gekoppeld aan toepasselijke vereiste awb-01",
    ]
    assert texts(v251_items, C, "6-imp-09-interventies-ux") == [
        "Niet gekoppeld aan een toepasselijke vereiste (gekoppeld: aia-10)"
    ]


# --- (d) both roles ----------------------------------------------------------------------


def test_d_both_roles_match_provider_and_deployer_items(v251_items):
    d = "d-aanbieder-en-gebruiksverantwoordelijke"
    assert "Rol onder de AI-verordening: Aanbieder komt voor in de vereiste" in texts(
        v251_items, d, "aia-14-conformiteitsbeoordeling"
    )
    assert (
        "Rol onder de AI-verordening: Gebruiksverantwoordelijke komt voor in de vereiste"
        in texts(v251_items, d, "aia-20-gebruiksverantwoordelijken-maatregelen")
    )
    assert texts(v251_items, d, "6-imp-09-interventies-ux") == [
        "Gekoppeld aan toepasselijke vereiste aia-10"
    ]


# --- content normalisation -------------------------------------------------------------


def test_dangling_links_are_dropped_when_building_items(v251, v251_items):
    raw = load_front_matter(v251, MEASURE)
    items = {item.slug: item for item in v251_items if item.kind == MEASURE}
    dropped = sum(len(raw[slug].get("vereiste") or []) - len(items[slug].links) for slug in items)
    assert dropped == 6  # the content README: 6 of 589 references dangle in v2.5.1
    assert items["2-owp-35-genereren-bronvermelding"].links == (
        "dat-01-databankenwet",
        "awb-02-motiveringsbeginsel",
        "awb-01-zorgvuldigheidsbeginsel",
        "aut-01-auteursrechten",
        "aia-28-transparantieverplichtingen",
    )  # aia-09-menselijke-toezicht (sic) is gone


def test_v20_publicatiecategorie_is_read_as_risicogroep(v20_items):
    by_code = {item.code: item for item in v20_items if item.kind == REQUIREMENT}
    assert by_code["aia-03"].labels["risicogroep"] == ("hoog-risico-ai-systeem",)
    assert by_code["aia-07"].labels["risicogroep"] == ("hoog-risico-ai-systeem",)
    assert by_code["avg-07"].labels == {}
    not_high_risk = PROFILES[B]
    verdicts = {v.code: v for v in requirement_verdicts(v20_items, not_high_risk).values()}
    assert not verdicts["aia-03"].applies
    assert verdicts["aia-02"].applies  # publicatiecategorie: geen-hoog-risico-ai-systeem
    assert verdicts["avg-07"].texts == ["Geen AI-labels: geldt altijd"]
    assert verdicts["aia-37"].texts == ["Geen AI-labels: geldt altijd"]
