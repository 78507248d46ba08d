"""Validating a register entry against the standard's configuration, read at run time.

``validate(values, standard)`` applies what the configuration says of each field:
``required``, ``max_length``, ``permitted_values``, ``allowed_html_tags``, the
``yyyy-mm`` dates and the e-mail address, and for lists of objects the same per row.
Two outcomes are kept apart, as the register does: *errors* (a value the register
would refuse) and *missing* (a required field without a value: the entry is not yet
complete). Every message is Dutch and names the field by its title.

``normalise`` applies the register's tolerance before that: permitted values are
matched without regard to case (the real example writes ``lang`` as ``"NLD"``), and
``null``, ``""`` and ``[]`` all mean "not filled in".
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tracker.register.standard import Field, Standard, sub_name

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return False


def _canonical(value: Any, permitted: tuple[str, ...]) -> Any:
    if not isinstance(value, str) or not permitted:
        return value
    for candidate in permitted:
        if candidate.casefold() == value.strip().casefold():
            return candidate
    return value


def normalise(values: dict, standard: Standard) -> dict:
    """Every field of the standard, empty ones as None, permitted values in their
    canonical spelling. Keys outside the standard (the register's own ``id``,
    ``uuid``, ...) are left out."""
    result = {}
    for one in standard.fields:
        value = values.get(one.name)
        if is_empty(value):
            result[one.name] = None
        elif one.is_choice_list and isinstance(value, list):
            result[one.name] = [_canonical(v, one.permitted_values) for v in value]
        elif one.is_grouping and isinstance(value, list):
            result[one.name] = [
                {key: (None if is_empty(v) else v) for key, v in row.items()}
                if isinstance(row, dict)
                else row
                for row in value
            ]
        else:
            result[one.name] = _canonical(value, one.permitted_values)
    return result


@dataclass
class Result:
    errors: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """No value the register would refuse (required fields may still be empty)."""
        return not self.errors

    @property
    def complete(self) -> bool:
        """Valid, and every required field filled in."""
        return self.valid and not self.missing

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def messages(self) -> dict[str, list[str]]:
        """Per field every message, the missing ones included (for forms and pages)."""
        found = {name: list(messages) for name, messages in self.errors.items()}
        for name in self.missing:
            found.setdefault(name, []).insert(0, f"{self.titles[name]}: dit veld is verplicht.")
        return found

    def lines(self) -> list[str]:
        """One line per message, with the field's technical name (command line)."""
        return [
            f"{name}: {message}" for name, texts in self.messages().items() for message in texts
        ]


def _check_text(one: Field, value: Any, result: Result, key: str, title: str) -> None:
    if not isinstance(value, str):
        result.add(key, f"{title}: dit moet tekst zijn.")
        return
    if one.max_length is not None and len(value) > one.max_length:
        result.add(
            key, f"{title}: maximaal {one.max_length} tekens toegestaan, nu {len(value)} tekens."
        )
    if one.permitted_values and value not in one.permitted_values:
        allowed = ", ".join(f"‘{v}’" for v in one.permitted_values)
        result.add(key, f"{title}: ‘{value}’ is geen toegestane waarde (kies uit {allowed}).")
    if one.is_date and not MONTH.match(value):
        result.add(key, f"{title}: schrijf de datum als jjjj-mm, bijvoorbeeld 2025-03.")
    if one.is_email:
        try:
            validate_email(value)
        except ValidationError:
            result.add(key, f"{title}: ‘{value}’ is geen geldig e-mailadres.")
    if one.is_html:
        refused = sorted({tag.lower() for tag in TAG.findall(value)} - set(one.allowed_html_tags))
        if refused:
            allowed = ", ".join(one.allowed_html_tags)
            result.add(
                key,
                f"{title}: de HTML-elementen {', '.join(refused)} zijn niet toegestaan "
                f"(wel: {allowed}).",
            )


def _check_list(one: Field, value: Any, result: Result) -> None:
    if not isinstance(value, list):
        result.add(one.name, f"{one.title}: dit moet een lijst zijn.")
        return
    if one.is_choice_list:
        for entry in value:
            _check_text(one, entry, result, one.name, one.title)
        return
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            result.add(one.name, f"{one.title}, regel {number}: dit moet titel en link bevatten.")
            continue
        for item in one.items:
            sub_value = row.get(sub_name(item))
            title = f"{one.title}, regel {number}: {item.title}"
            if is_empty(sub_value):
                if item.required:
                    result.add(one.name, f"{title}: dit is verplicht.")
                continue
            _check_text(item, sub_value, result, one.name, title)


def validate(values: dict, standard: Standard) -> Result:
    """Check an entry (one object of the upload file) against the standard."""
    values = normalise(values, standard)
    result = Result(titles={one.name: one.title for one in standard.fields})
    for one in standard.fields:
        value = values.get(one.name)
        if is_empty(value):
            if one.required:
                result.missing.append(one.name)
            continue
        if one.is_list:
            _check_list(one, value, result)
        else:
            _check_text(one, value, result, one.name, one.title)
    return result


def validate_upload(document: Any, standard: Standard) -> list[Result]:
    """An upload file: a JSON list of entries, each validated. Raises ValueError when
    the file is not a list of objects."""
    if not isinstance(document, list) or not all(isinstance(row, dict) for row in document):
        raise ValueError("het bestand is geen lijst van registraties")
    return [validate(row, standard) for row in document]
