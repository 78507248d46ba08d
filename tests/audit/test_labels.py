"""Readable Dutch text for stored object types, actions and values."""

from tracker.algorithms.models import Algorithm
from tracker.audit import labels


def _field(model, name):
    return model._meta.get_field(name)


def test_object_types_and_actions_in_dutch() -> None:
    assert labels.object_type_label("tracker.residualrisk") == "Restrisico"
    assert labels.object_type_label("onbekend.model") == "onbekend.model"
    assert labels.action_label("withdraw") == "ingetrokken"
    assert labels.action_label("something_new") == "something new"


def test_values_as_text() -> None:
    assert labels.value_text(_field(Algorithm, "stage"), "production") == "Productie"
    assert labels.value_text(_field(Algorithm, "impactful"), True) == "ja"
    assert labels.value_text(None, None) == labels.EMPTY
    assert labels.value_text(None, "") == labels.EMPTY
    assert labels.value_text(None, ["a", "b"]) == "a, b"
    assert labels.value_text(None, {"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    created = _field(Algorithm, "created_at")
    assert labels.value_text(created, "2026-07-01T10:00:00+00:00") == "1 juli 2026 12:00"
    assert labels.value_text(created, "geen datum") == "geen datum"


def test_changes_rows_use_field_names_from_the_model() -> None:
    rows = labels.changes("tracker.algorithm", {"phase": ["ontwerp", "implementatie"], "x": 3})
    assert [(r.field, r.label, r.old, r.new) for r in rows] == [
        ("phase", "fase", "Ontwerp", "Implementatie"),  # verbose_name, choice labels
        ("x", "x", labels.EMPTY, "3"),  # not a pair: shown as the new value
    ]
