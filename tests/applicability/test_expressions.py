"""The safe parser for ``uitzondering`` expressions, on hand-written input."""

import pytest

from tracker.applicability.expressions import And, ExpressionError, Label, Not, Or, parse

OSS = "open-source-open-source"
GPAI = "soort-toepassing-ai-systeem-voor-algemene-doeleinden"
AI = "soort-toepassing-ai-systeem"
NO_TRANSPARENCY = "transparantieverplichting-geen-transparantieverplichting"
NOT_HIGH_RISK = "risicogroep-geen-hoog-risico-ai-systeem"


def test_bare_label_parses_to_one_label():
    expression = parse("risicogroep-uitzondering-van-toepassing")
    assert expression.root == Label("risicogroep-uitzondering-van-toepassing")
    assert expression.evaluate({"risicogroep-uitzondering-van-toepassing"})
    assert not expression.evaluate({"risicogroep-hoog-risico-ai-systeem"})


def test_quoted_and_bare_labels_are_the_same():
    assert parse(f'"{OSS}"').root == parse(OSS).root


def test_and_binds_tighter_than_or():
    expression = parse(f'"{AI}" || "{OSS}" && "{NOT_HIGH_RISK}"')
    assert expression.root == Or((Label(AI), And((Label(OSS), Label(NOT_HIGH_RISK)))))
    assert expression.evaluate({AI})
    assert not expression.evaluate({OSS})
    assert expression.evaluate({OSS, NOT_HIGH_RISK})


def test_parentheses_override_precedence():
    expression = parse(f'("{AI}" || "{OSS}") && "{NOT_HIGH_RISK}"')
    assert expression.root == And((Or((Label(AI), Label(OSS))), Label(NOT_HIGH_RISK)))
    assert not expression.evaluate({AI})
    assert expression.evaluate({AI, NOT_HIGH_RISK})


def test_not_negates_and_nests():
    expression = parse(f'!"{OSS}" && !!("{AI}")')
    assert expression.root == And((Not(Label(OSS)), Not(Not(Label(AI)))))
    assert expression.evaluate({AI})
    assert not expression.evaluate({AI, OSS})
    assert not expression.evaluate(set())


def test_open_source_exemption_expression_truth_table():
    text = f'("{GPAI}" || "{AI}") && "{OSS}" && "{NO_TRANSPARENCY}" && "{NOT_HIGH_RISK}"'
    expression = parse(text)
    assert expression.evaluate({AI, OSS, NO_TRANSPARENCY, NOT_HIGH_RISK})
    assert expression.evaluate({GPAI, OSS, NO_TRANSPARENCY, NOT_HIGH_RISK, "rol-ai-act-x"})
    assert not expression.evaluate({OSS, NO_TRANSPARENCY, NOT_HIGH_RISK})
    assert not expression.evaluate({AI, NO_TRANSPARENCY, NOT_HIGH_RISK})
    assert not expression.evaluate({AI, OSS, NOT_HIGH_RISK})
    assert not expression.evaluate({AI, OSS, NO_TRANSPARENCY})
    assert expression.labels() == {GPAI, AI, OSS, NO_TRANSPARENCY, NOT_HIGH_RISK}


def test_round_trip_through_str():
    text = f'!("{GPAI}" || "{AI}") && "{OSS}" || "{NOT_HIGH_RISK}"'
    expression = parse(text)
    assert parse(str(expression)).root == expression.root


def test_describe_in_dutch():
    expression = parse(f'("{GPAI}" || "{AI}") && !"{OSS}"')
    assert expression.describe() == (
        "(Soort toepassing: AI-systeem voor algemene doeleinden of Soort toepassing: "
        "AI-systeem) en niet Open source: Open source"
    )


def test_labels_are_compared_in_lower_case():
    assert parse('"Open-Source-Open-Source"').root == Label(OSS)


def test_unknown_value_of_known_dimension_is_accepted_and_listed():
    expression = parse("risicogroep-beperkt-risico")
    assert expression.unknown_labels() == {"risicogroep-beperkt-risico"}
    assert not expression.evaluate({"risicogroep-hoog-risico-ai-systeem"})
    assert parse(OSS).unknown_labels() == set()


def test_strict_mode_rejects_unknown_value():
    with pytest.raises(ExpressionError, match="Onbekende waarde in label 'risicogroep-beperkt"):
        parse("risicogroep-beperkt-risico", strict=True)


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "Lege uitdrukking", 0),
        ("   ", "Lege uitdrukking", 3),
        (f'("{OSS}" || "{AI}"', "Haakje '(' wordt niet gesloten", 0),
        (f'"{OSS}")', "Haakje ')' zonder bijbehorend '('", len(OSS) + 2),
        (f'"{OSS}" &&', "Na '&&' ontbreekt een label", len(OSS) + 3),
        (f'"{OSS}" || ', "Na '||' ontbreekt een label", len(OSS) + 3),
        (f'&& "{OSS}"', "Label verwacht, maar operator '&&' gevonden", 0),
        (f'"{OSS}" && || "{AI}"', "Label verwacht, maar operator '||' gevonden", len(OSS) + 6),
        (f"{OSS} & {AI}", "Onbekend teken '&': gebruik '&&'", len(OSS) + 1),
        (f"{OSS} | {AI}", "Onbekend teken '|': gebruik '||'", len(OSS) + 1),
        (f'"{OSS}', "Aanhalingsteken wordt niet gesloten", 0),
        ('""', "Leeg label tussen aanhalingstekens", 0),
        ('"open source"', "Ongeldig label 'open source'", 0),
        ("()", "Lege haakjes '()'", 1),
        ("!", "Na '!' ontbreekt een label", 0),
        (f"{OSS} {AI}", "Operator verwacht ('&&' of '||') voor", len(OSS) + 1),
        ('"foo-bar"', "Onbekend label 'foo-bar': het begint niet met een bekende dimensie", 0),
        ("risicogroep-", "Onbekend label 'risicogroep-'", 0),
        ("__import__('os').system('id')", "Onbekend teken '_'", 0),
        (f"{OSS}; {AI}", "Onbekend teken ';'", len(OSS)),
    ],
)
def test_malformed_expression_raises_clear_error(text, message, position):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.message.startswith(message)
    assert caught.value.position == position
    assert f"positie {position + 1}" in str(caught.value)


def test_non_string_is_an_expression_error():
    with pytest.raises(ExpressionError, match="moet tekst zijn"):
        parse(None)  # type: ignore[arg-type]
