"""The dossier as JSON: complete (every audit entry, each decision's frozen snapshot),
machine-readable, with the keys documented in dossier.schema.json and README.md.

Datetimes are ISO 8601 in UTC, dates ``YYYY-MM-DD``. Key order is fixed by the
dossier builder, so the same state always gives the same document apart from
``generated_at`` and ``generated_by``.
"""

import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from tracker.exports.dossier import build_dossier

SCHEMA_PATH = Path(__file__).with_name("dossier.schema.json")


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dossier_as_json(dossier: dict) -> str:
    return json.dumps(dossier, default=_plain, ensure_ascii=False, indent=2) + "\n"


def dossier_json(algorithm, *, generated_by: str) -> str:
    """Collect everything (all audit entries, snapshots included) and serialise."""
    dossier = build_dossier(algorithm, generated_by=generated_by, include_snapshots=True)
    return dossier_as_json(dossier)


@cache
def schema() -> dict:
    """The JSON Schema (draft 2020-12) the export conforms to."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
