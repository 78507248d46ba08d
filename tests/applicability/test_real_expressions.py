"""Every ``uitzondering`` entry of both real releases goes through the safe parser."""

from tracker.applicability.expressions import Expression, parse
from tracker.applicability.profile import AIProfile

from .helpers import REQUIREMENT, deployer_profile, load_front_matter

SINGLE = "risicogroep-uitzondering-van-toepassing"
OPEN_SOURCE = (
    '("soort-toepassing-ai-systeem-voor-algemene-doeleinden" || "soort-toepassing-ai-systeem")'
    ' && "open-source-open-source" && "transparantieverplichting-geen-transparantieverplichting"'
    ' && "risicogroep-geen-hoog-risico-ai-systeem"'
)

OPEN_SOURCE_AI = deployer_profile(
    risicogroep="geen-hoog-risico-ai-systeem",
    rol_ai_act=frozenset({"aanbieder"}),
    open_source="open-source",
)
# (profile, expected value of SINGLE, expected value of OPEN_SOURCE)
PROFILE_CASES = {
    "hoog-risico-gebruiksverantwoordelijke": (deployer_profile(), False, False),
    "open-source-geen-hoog-risico": (OPEN_SOURCE_AI, False, True),
    "open-source-gpai-systeem": (
        deployer_profile(
            soort_toepassing="ai-systeem-voor-algemene-doeleinden",
            risicogroep="geen-hoog-risico-ai-systeem",
            open_source="open-source",
        ),
        False,
        True,
    ),
    "open-source-met-transparantieverplichting": (
        deployer_profile(
            risicogroep="geen-hoog-risico-ai-systeem",
            open_source="open-source",
            transparantieverplichting="transparantieverplichting",
        ),
        False,
        False,
    ),
    "open-source-gpai-model": (
        deployer_profile(
            soort_toepassing="ai-model-voor-algemene-doeleinden",
            risicogroep="geen-hoog-risico-ai-systeem",
            open_source="open-source",
        ),
        False,
        False,
    ),
    "uitzondering-van-toepassing": (
        deployer_profile(risicogroep="uitzondering-van-toepassing"),
        True,
        False,
    ),
    "geen-ai": (AIProfile.not_ai(impactful=True), False, False),
}


def uitzonderingen(folder) -> list[tuple[str, str]]:
    """(vereiste slug, entry) for every uitzondering entry of a release."""
    return [
        (slug, entry)
        for slug, metadata in load_front_matter(folder, REQUIREMENT).items()
        for entry in metadata.get("uitzondering") or ()
    ]


def test_v251_syntax_inventory(v251):
    entries = uitzonderingen(v251)
    assert len(entries) == 45
    assert {entry for _, entry in entries} == {SINGLE, OPEN_SOURCE}
    with_open_source = sorted(slug[:6] for slug, entry in entries if entry == OPEN_SOURCE)
    assert with_open_source == ["aia-01", "aia-02", "aia-28", "aia-33", "aia-36", "aia-37"]


def test_v20_has_no_uitzondering(v20):
    assert uitzonderingen(v20) == []


def test_every_real_entry_parses_strictly_and_evaluates_deterministically(v251):
    # v2.0 has no entries (test above); v2.5.1 has all 45
    for slug, entry in uitzonderingen(v251):
        expression = parse(entry, strict=True)
        assert isinstance(expression, Expression), slug
        assert expression.unknown_labels() == set(), slug
        assert parse(str(expression)).root == expression.root, slug
        for name, (profile, single, open_source) in PROFILE_CASES.items():
            labels = profile.to_labels()
            expected = single if entry == SINGLE else open_source
            assert expression.evaluate(labels) is expected, (slug, name)
            assert expression.evaluate(set(labels)) is expected, (slug, name)
