"""The validator reads the standard's configuration at run time: the real example passes
with its quirks, a copy with each kind of fault fails naming the field, in Dutch."""

import json

import pytest

from tracker.register.standard import StandardError, parse_standard
from tracker.register.validation import normalise, validate, validate_upload


def test_the_configuration_is_read_not_copied(standard):
    assert standard.version == "1.0"
    assert standard.required == [
        "name",
        "description_short",
        "organization",
        "status",
        "contact_email",
        "publication_category",
        "lang",
    ]
    assert standard["name"].max_length == 100
    assert standard["description_short"].max_length == 400
    assert "Impactvolle algoritmes" in standard["publication_category"].permitted_values
    assert len(standard["category"].permitted_values) == 16


def test_required_false_as_a_string_is_not_required(standard):
    assert standard["source_data_grouping"].required is False
    assert "source_data_grouping" not in standard.required


def test_the_real_example_passes_with_its_quirks(standard, example):
    assert example["lang"] == "NLD"  # the quirk, as written by the register's own file
    assert "<div><p>" in example["goal"]
    result = validate(example, standard)
    assert result.valid, result.errors
    assert normalise(example, standard)["lang"] == "nld"
    # A supplier template: the organisation fills in its own name and contact address.
    assert result.missing == ["organization", "contact_email"]
    example.update(organization="Gemeente Amsterdam", contact_email="algoritmen@amsterdam.nl")
    assert validate(example, standard).complete


FAULTS = [
    ("missing required field", "name", None, "Naam: dit veld is verplicht."),
    ("over-long name", "name", "x" * 101, "Naam: maximaal 100 tekens toegestaan, nu 101 tekens."),
    ("value not permitted", "status", "Gepland", "‘Gepland’ is geen toegestane waarde"),
    ("theme not permitted", "category", ["Ruimtevaart"], "‘Ruimtevaart’ is geen toegestane"),
    ("bad date", "begin_date", "2023-13", "schrijf de datum als jjjj-mm"),
    ("bad date format", "end_date", "05-2023", "schrijf de datum als jjjj-mm"),
    ("bad e-mail", "contact_email", "algoritmes@", "‘algoritmes@’ is geen geldig e-mailadres"),
    ("HTML not allowed", "goal", "<script>x</script>", "HTML-elementen script"),
]


@pytest.mark.parametrize(("kind", "name", "value", "message"), FAULTS, ids=[f[0] for f in FAULTS])
def test_each_kind_of_fault_fails_naming_the_field(standard, example, kind, name, value, message):
    example.update(organization="Gemeente Amsterdam", contact_email="algoritmen@amsterdam.nl")
    assert validate(example, standard).complete
    example[name] = value
    result = validate(example, standard)
    assert not result.complete
    assert list(result.messages()) == [name]
    [text] = result.messages()[name]
    assert message in text
    assert any(line.startswith(f"{name}: ") for line in result.lines())


def test_rows_of_a_grouping_are_checked(standard, example):
    example["lawful_basis_grouping"] = [{"title": "Participatiewet", "link": None}]
    result = validate(example, standard)
    [message] = result.errors["lawful_basis_grouping"]
    title = standard["lawful_basis_grouping"].title
    assert message == f"{title}, regel 1: Link naar wettelijke basis: dit is verplicht."
    assert list(result.errors) == ["lawful_basis_grouping"]


def test_an_upload_file_is_a_list_of_entries(standard, example):
    [result] = validate_upload([example], standard)
    assert result.valid
    with pytest.raises(ValueError, match="geen lijst"):
        validate_upload(example, standard)


def test_a_bad_configuration_names_the_field():
    with pytest.raises(StandardError, match=r"conf\.json: name: unknown type 'text'"):
        parse_standard({"properties": {"name": {"type": "text"}}}, source="conf.json")
    with pytest.raises(StandardError, match="status: 'required' is not a yes/no value"):
        parse_standard(
            {"properties": {"status": {"type": "enum", "required": "misschien"}}},
            source="conf.json",
        )
    with pytest.raises(StandardError, match="properties"):
        parse_standard(json.loads("[]"), source="conf.json")
