"""The applicability rules on small hand-made items."""

import pytest

from tracker.applicability.items import ContentItem
from tracker.applicability.profile import AIProfile
from tracker.applicability.rules import (
    MEASURE,
    REQUIREMENT,
    ReasonCode,
    Verdict,
    checklist_for,
    measure_verdict,
    requirement_verdict,
)

from .helpers import deployer_profile


def requirement(code: str, phases=("implementatie",), exceptions=(), **labels) -> ContentItem:
    return ContentItem(
        kind=REQUIREMENT,
        slug=f"{code}-slug",
        code=code,
        labels={key.replace("_", "-"): tuple(values) for key, values in labels.items()},
        exceptions=tuple(exceptions),
        phases=frozenset(phases),
    )


def measure(code: str, links=(), phases=("implementatie",)) -> ContentItem:
    return ContentItem(
        kind=MEASURE, slug=f"x-{code}-slug", code=code, links=tuple(links), phases=frozenset(phases)
    )


def test_every_listed_dimension_must_match():
    item = requirement(
        "aia-20", risicogroep=["hoog-risico-ai-systeem"], rol_ai_act=["gebruiksverantwoordelijke"]
    )
    assert requirement_verdict(item, deployer_profile()).applies
    verdict = requirement_verdict(item, deployer_profile(risicogroep="geen-hoog-risico-ai-systeem"))
    assert not verdict.applies
    assert verdict.texts == [
        "Risicogroep: Geen hoog-risico-AI-systeem komt niet voor in de vereiste "
        "(wel: Hoog-risico-AI-systeem)"
    ]
    assert verdict.reasons[0].code == ReasonCode.LABEL_MISMATCH
    assert verdict.reasons[0].params["dimension"] == "risicogroep"


def test_any_listed_value_matches_and_reasons_name_it():
    item = requirement("aia-01", risicogroep=["verboden-ai", "hoog-risico-ai-systeem"])
    verdict = requirement_verdict(item, deployer_profile())
    assert verdict == Verdict(True, verdict.reasons, "aia-01")
    assert verdict.texts == ["Risicogroep: Hoog-risico-AI-systeem komt voor in de vereiste"]
    assert verdict.reasons[0].params == {
        "dimension": "risicogroep",
        "matched": ("hoog-risico-ai-systeem",),
    }


def test_role_is_a_set_any_role_listed_matches():
    item = requirement("aia-14", rol_ai_act=["aanbieder"])
    assert not requirement_verdict(item, deployer_profile()).applies
    both = deployer_profile(rol_ai_act=frozenset({"aanbieder", "gebruiksverantwoordelijke"}))
    verdict = requirement_verdict(item, both)
    assert verdict.applies
    assert verdict.texts == ["Rol onder de AI-verordening: Aanbieder komt voor in de vereiste"]


def test_requirement_without_labels_applies_to_every_ai_system():
    verdict = requirement_verdict(requirement("aia-37"), deployer_profile())
    assert verdict.applies
    assert verdict.texts == ["Geen AI-labels: geldt altijd"]


def test_empty_dimension_counts_as_not_listed():
    item = ContentItem(REQUIREMENT, "s", "aia-99", labels={"risicogroep": (), "open-source": []})
    assert requirement_verdict(item, deployer_profile()).has(ReasonCode.NO_AI_LABELS)


def test_matching_exception_excludes_and_says_so():
    item = requirement(
        "aia-02",
        exceptions=["risicogroep-hoog-risico-ai-systeem"],
        risicogroep=["hoog-risico-ai-systeem"],
    )
    verdict = requirement_verdict(item, deployer_profile())
    assert not verdict.applies
    assert verdict.texts == ["Uitzondering (Risicogroep: Hoog-risico-AI-systeem) is van toepassing"]


def test_exception_not_matching_is_explained():
    item = requirement("aia-09", exceptions=["risicogroep-uitzondering-van-toepassing"])
    verdict = requirement_verdict(item, deployer_profile())
    assert verdict.applies
    assert verdict.texts == [
        "Geen AI-labels: geldt altijd",
        "Uitzondering (Risicogroep: Uitzondering van toepassing) is niet van toepassing",
    ]


def test_malformed_exception_is_ignored_visibly_and_the_requirement_still_applies():
    item = requirement("aia-09", exceptions=['"open-source-open-source" &&'])
    verdict = requirement_verdict(item, deployer_profile(open_source="open-source"))
    assert verdict.applies
    invalid = [r for r in verdict.reasons if r.code == ReasonCode.EXCEPTION_INVALID]
    assert len(invalid) == 1
    assert "Na '&&' ontbreekt een label" in invalid[0].text
    assert invalid[0].params["position"] == 26


def test_not_ai_system_ai_act_never_applies_other_laws_always():
    profile = AIProfile.not_ai(impactful=False)
    aia = requirement("aia-09")
    verdict = requirement_verdict(aia, profile)
    assert not verdict.applies
    assert verdict.texts == ["Geen AI-systeem: AI-verordening (aia) is niet van toepassing"]
    # labels that no non-AI profile could match are irrelevant for other laws
    avg = requirement("avg-07", risicogroep=["hoog-risico-ai-systeem"], exceptions=["!x-y"])
    verdict = requirement_verdict(avg, profile)
    assert verdict.applies
    assert verdict.reasons[0].code == ReasonCode.NOT_AI_SYSTEM_OTHER_LAW
    assert verdict.reasons[0].params == {"law": "avg"}


def test_measure_without_links_applies():
    verdict = measure_verdict(measure("dat-06"), {})
    assert verdict.applies
    assert verdict.texts == ["Koppelt aan geen vereiste"]


def test_measure_applies_through_each_applicable_link():
    verdicts = {
        "aia-10-slug": Verdict(False, (), "aia-10"),
        "awb-01-slug": Verdict(True, (), "awb-01"),
        "grw-02-slug": Verdict(True, (), "grw-02"),
    }
    item = measure("imp-02", ["aia-10-slug", "grw-02-slug", "awb-01-slug", "grw-02-slug"])
    verdict = measure_verdict(item, verdicts, deployer_profile())
    assert verdict.applies
    assert verdict.texts == [
        "Gekoppeld aan toepasselijke vereiste grw-02",
        "Gekoppeld aan toepasselijke vereiste awb-01",
    ]
    assert [r.params["slug"] for r in verdict.reasons] == ["grw-02-slug", "awb-01-slug"]


def test_measure_without_applicable_link_does_not_apply():
    verdicts = {"aia-10-slug": Verdict(False, (), "aia-10"), "aia-09-slug": Verdict(False, ())}
    verdict = measure_verdict(measure("imp-09", ["aia-10-slug", "aia-09-slug"]), verdicts)
    assert not verdict.applies
    assert verdict.texts == [
        "Niet gekoppeld aan een toepasselijke vereiste (gekoppeld: aia-10, aia-09-slug)"
    ]


def test_dangling_links_count_as_not_linked():
    verdicts = {"aia-10-slug": Verdict(False, (), "aia-10")}
    only_dangling = measure_verdict(measure("owp-35", ["aia-09-menselijke-toezicht"]), verdicts)
    assert only_dangling.applies
    assert only_dangling.texts == [
        "Koppelt alleen aan een vereiste die in deze release niet bestaat "
        "(aia-09-menselijke-toezicht); daarom geldt de maatregel altijd",
    ]
    mixed = measure_verdict(measure("owp-05", ["aia-10-slug", "gone"]), verdicts)
    assert not mixed.applies
    assert [r.code for r in mixed.reasons] == [
        ReasonCode.NO_APPLICABLE_LINK,
        ReasonCode.DANGLING_LINK,
    ]


def test_checklist_filters_phase_and_judges_measures_on_requirements_of_any_phase():
    high_risk_deployer = requirement("aia-20", risicogroep=["hoog-risico-ai-systeem"])
    provider_only = requirement("aia-14", rol_ai_act=["aanbieder"])
    elsewhere = requirement("awb-01", phases=("ontwerp",))
    items = [
        high_risk_deployer,
        provider_only,
        elsewhere,
        measure("imp-01", [elsewhere.slug]),
        measure("imp-09", [provider_only.slug]),
        measure("owp-01", [high_risk_deployer.slug], phases=("ontwerp",)),
        ContentItem("instrument", "iama", "", phases=frozenset({"implementatie"})),
    ]
    applicable, not_applicable = checklist_for(items, "implementatie", deployer_profile())
    assert [item.code for item, _ in applicable] == ["aia-20", "imp-01"]
    assert [item.code for item, _ in not_applicable] == ["aia-14", "imp-09"]
    assert applicable[1][1].texts == ["Gekoppeld aan toepasselijke vereiste awb-01"]


def test_checklist_accepts_a_phase_accessor():
    item = requirement("avg-07", phases=())
    applicable, _ = checklist_for(
        [item], "implementatie", deployer_profile(), phases_of=lambda _item: ["implementatie"]
    )
    assert [i.code for i, _ in applicable] == ["avg-07"]


@pytest.mark.parametrize("code", list(ReasonCode))
def test_every_reason_code_has_a_text(code):
    from tracker.applicability.rules import _TEXTS

    assert code in _TEXTS
