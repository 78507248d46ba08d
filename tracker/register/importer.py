"""Importing a version of the register's publication standard, like content: parse and
check everything first, then write one row in one transaction. Importing the same file
again adds nothing. Errors name the file and the field."""

import hashlib
import json
from pathlib import Path

from django.db import transaction

from tracker.register.models import RegisterStandard
from tracker.register.standard import StandardError, parse_standard


class StandardImportError(Exception):
    """The standard was not imported; nothing was written."""


def _read(source: Path) -> tuple[bytes, object]:
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise StandardImportError(f"{source}: cannot be read ({exc.strerror})") from exc
    try:
        return raw, json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StandardImportError(f"{source}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise StandardImportError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def import_standard(
    source: str | Path, *, label: str | None = None, stdout=None
) -> tuple[RegisterStandard, bool]:
    """The imported standard and whether it was new. Raises StandardImportError."""
    path = Path(source)
    raw, data = _read(path)
    try:
        standard = parse_standard(data, source=str(path))
    except StandardError as exc:
        raise StandardImportError(str(exc)) from exc
    content_hash = hashlib.sha256(raw).hexdigest()
    existing = RegisterStandard.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        if stdout is not None:
            stdout.write(f"{existing}: already imported (unchanged)")
        return existing, False
    label = label or standard.version
    if RegisterStandard.objects.filter(label=label).exists():
        label = f"{label}+{content_hash[:8]}"
    with transaction.atomic():
        row = RegisterStandard.objects.create(
            label=label,
            version=standard.version,
            source=str(path),
            content_hash=content_hash,
            configuration=data,
            field_order=standard.names,
            field_count=len(standard.fields),
        )
    if stdout is not None:
        stdout.write(f"{row}: imported from {path}, {row.field_count} fields")
    return row, True
