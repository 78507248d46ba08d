"""The Algoritmeregister's publication standard, read from the register's own field
configuration (``backend/app/schemas/config/v1_0.json`` upstream).

The configuration is not JSON Schema: per field it gives ``type`` (``string``,
``enum``, ``array``), ``title``, ``help_text``, ``instructions``, ``example``,
``max_length``, ``required``, ``permitted_values``, ``allowed_html_tags`` and, for a
list of objects, ``items`` (the sub-fields). ``parse_standard`` turns it into
``Field`` objects once; nothing about the fields is copied into code. The one
hazard it normalises: ``required`` is sometimes the string ``"false"``.
"""

from dataclasses import dataclass, field
from typing import Any


class StandardError(Exception):
    """The configuration cannot be read; names the file and the field."""

    def __init__(self, source: str, field_name: str, message: str) -> None:
        where = f"{source}: {field_name}" if field_name else source
        super().__init__(f"{where}: {message}")
        self.source, self.field_name = source, field_name


KNOWN_TYPES = ("string", "enum", "array")
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1"), ("false", "no", "0", "")


def as_bool(value: Any, *, source: str, field_name: str) -> bool:
    """``required`` as a real boolean: ``"false"`` (a string) is false."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise StandardError(source, field_name, f"'required' is not a yes/no value: {value!r}")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    help_text: str = ""
    instructions: str = ""
    example: Any = None
    required: bool = False
    max_length: int | None = None
    permitted_values: tuple[str, ...] = ()
    recommended_values: tuple[str, ...] = ()
    allowed_html_tags: tuple[str, ...] = ()
    show_always: bool = False
    items: tuple["Field", ...] = ()  # sub-fields of a list of objects

    @property
    def is_list(self) -> bool:
        return self.type == "array"

    @property
    def is_grouping(self) -> bool:
        """A list of objects (e.g. ``lawful_basis_grouping``: title and link)."""
        return self.is_list and bool(self.items)

    @property
    def is_choice_list(self) -> bool:
        return self.is_list and not self.items

    @property
    def is_date(self) -> bool:
        """A ``yyyy-mm`` date: the standard names them ``*_date``."""
        return self.name.endswith("_date")

    @property
    def is_email(self) -> bool:
        return self.name.endswith("email")

    @property
    def is_html(self) -> bool:
        return bool(self.allowed_html_tags)

    @property
    def example_text(self) -> str:
        if isinstance(self.example, list):
            return ", ".join(str(value) for value in self.example)
        return "" if self.example in (None, "") else str(self.example)


@dataclass(frozen=True)
class Standard:
    version: str
    description: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Field:
        for one in self.fields:
            if one.name == name:
                return one
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [one.name for one in self.fields]

    @property
    def required(self) -> list[str]:
        return [one.name for one in self.fields if one.required]


def _text(spec: dict, key: str, source: str, name: str) -> str:
    value = spec.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StandardError(source, name, f"'{key}' is not text")
    return value


def _strings(spec: dict, key: str, source: str, name: str) -> tuple[str, ...]:
    values = spec.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise StandardError(source, name, f"'{key}' is not a list of text")
    return tuple(values)


def _field(name: str, spec: Any, source: str) -> Field:
    if not isinstance(spec, dict):
        raise StandardError(source, name, "the field is not an object")
    kind = spec.get("type")
    if kind not in KNOWN_TYPES:
        raise StandardError(source, name, f"unknown type {kind!r}")
    max_length = spec.get("max_length")
    if max_length is not None and (
        isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1
    ):
        raise StandardError(source, name, f"'max_length' is not a positive number: {max_length!r}")
    items = spec.get("items") or {}
    if not isinstance(items, dict):
        raise StandardError(source, name, "'items' is not an object")
    return Field(
        name=name,
        type=kind,
        title=_text(spec, "title", source, name) or name,
        help_text=_text(spec, "help_text", source, name),
        instructions=_text(spec, "instructions", source, name),
        example=spec.get("example"),
        required=as_bool(spec.get("required"), source=source, field_name=name),
        max_length=max_length,
        permitted_values=_strings(spec, "permitted_values", source, name),
        recommended_values=_strings(spec, "recommended_items", source, name),
        allowed_html_tags=_strings(spec, "allowed_html_tags", source, name),
        show_always=spec.get("show_always") is True,
        items=tuple(_field(f"{name}.{sub}", value, source) for sub, value in items.items()),
    )


def parse_standard(data: Any, *, source: str = "configuratie") -> Standard:
    """The standard from the register's configuration (parsed JSON)."""
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        raise StandardError(source, "properties", "the configuration has no 'properties' object")
    fields = tuple(_field(name, spec, source) for name, spec in data["properties"].items())
    if not fields:
        raise StandardError(source, "properties", "the configuration defines no fields")
    version = ""
    for one in fields:
        if one.name == "standard_version" and one.permitted_values:
            version = one.permitted_values[0]
    if not version:
        raise StandardError(source, "standard_version", "no permitted version number")
    return Standard(version=version, description=str(data.get("description") or ""), fields=fields)


def sub_name(item: Field) -> str:
    """``title`` for ``lawful_basis_grouping.title``."""
    return item.name.rsplit(".", 1)[-1]
