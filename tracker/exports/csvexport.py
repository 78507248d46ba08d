"""The checklist as CSV: one row per checklist item (retired items included, marked),
with a fixed header (HEADER). UTF-8 with a byte order mark so spreadsheet programs
read é, ë and ’ correctly; comma separated, RFC 4180 quoting.

Lists inside a cell (sha256 values, reasons, norms) are separated by " | ". A cell
that a spreadsheet would read as a formula (starting with =, +, -, @, tab or CR) is
prefixed with a single quote.
"""

import csv
import io

from tracker.exports.dossier import build_dossier

HEADER = (
    "id",
    "code",
    "urn",
    "title",
    "kind",
    "status",
    "owner",
    "due_date",
    "justification",
    "evidence_count",
    "withdrawn_evidence_count",
    "sha256",
    "open_risks",
    "risks",
    "reasons",
    "norms",
    "retired",
    "retired_at",
)
SEPARATOR = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def item_row(item: dict) -> list[str]:
    active = [row for row in item["evidence"] if not row["withdrawn"]]
    values = {
        "id": item["id"],
        "code": item["code"],
        "urn": item["urn"],
        "title": item["title"],
        "kind": item["kind"],
        "status": item["status"],
        "owner": item["owner"]["username"] if item["owner"] else "",
        "due_date": item["due_date"].isoformat() if item["due_date"] else "",
        "justification": item["justification"],
        "evidence_count": len(active),
        "withdrawn_evidence_count": len(item["evidence"]) - len(active),
        "sha256": SEPARATOR.join(row["sha256"] for row in active if row["sha256"]),
        "open_risks": item["open_risk_count"],
        "risks": len(item["risks"]),
        "reasons": SEPARATOR.join(reason["text"] for reason in item["reasons"]),
        "norms": SEPARATOR.join(item["norms"]),
        "retired": "true" if item["retired"] else "false",
        "retired_at": item["retired_at"].isoformat() if item["retired_at"] else "",
    }
    return [_cell(values[name]) for name in HEADER]


def dossier_as_csv(dossier: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for item in dossier["items"]:
        writer.writerow(item_row(item))
    return "\ufeff" + out.getvalue()


def dossier_csv(algorithm, *, generated_by: str) -> str:
    return dossier_as_csv(build_dossier(algorithm, generated_by=generated_by, audit_limit=0))
