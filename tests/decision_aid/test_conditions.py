"""The ``if`` conditions are parsed by a small parser, never evaluated as code."""

import pytest
import yaml

from tests.decision_aid.helpers import aid_dir
from tracker.decision_aid.conditions import ConditionError, parse_condition


def test_real_conditions_hold_as_upstream_means_them():
    condition = parse_condition(
        '"aanbieder" in labels && ("AI-systeem" in labels || "AI-systeem voor algemene '
        'doeleinden" in labels)'
    )
    assert condition.holds({"aanbieder", "AI-systeem"})
    assert not condition.holds({"aanbieder"})
    negated = parse_condition('!("open-source" in labels) && !("hoog-risico AI" in labels)')
    assert negated.holds({"AI-systeem"})
    assert not negated.holds({"open-source"})


@pytest.mark.parametrize("label", ["v1.2.23", "v1.2.24"])
def test_every_condition_of_the_real_trees_parses(label):
    tree = yaml.safe_load((aid_dir(label) / "decision-tree.yaml").read_text())
    conditions = [
        redirect["if"]
        for question in tree["questions"]
        for answer in question["answers"]
        for redirect in answer.get("redirects") or []
    ]
    assert len(conditions) > 50
    for text in conditions:
        assert parse_condition(text).labels()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('__import__("os").system("true")', "Onbekend"),
        ('"a" in labels & "b" in labels', "Onbekend teken"),
        ('"a" in labels && ', "Label tussen aanhalingstekens verwacht"),
        ('("a" in labels', "niet gesloten"),
        ('"a" in globals', "Onbekend woord"),
        ('"a"', "'in labels' verwacht"),
        ("", "Lege voorwaarde"),
    ],
)
def test_anything_else_is_refused(text, message):
    with pytest.raises(ConditionError, match=message):
        parse_condition(text)
