"""The PDF's input: the collected dossier (tracker.exports.dossier) as plain JSON data
for the Typst template (templates/exports/typst/dossier.typ).

Everything that is text here stays text: the template reads this with ``json(...)`` and
places the strings as content, never as markup, so nothing a user or the content typed
can run as Typst code. What only the PDF needs is prepared here, in Python: dates in
Europe/Amsterdam with Dutch month names, file sizes, shortened notes, link targets that
exist in the document, and Markdown as a node tree (tracker.exports.markup).
"""

from datetime import date, datetime

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import Truncator

from tracker.exports.markup import instruction_nodes, safe_href

# Heading levels in the PDF: chapter 1, group / section 2, item or decision 3, the
# work instruction's own headings from 4.
INSTRUCTION_LEVEL = 4
NOTE_CHARS = 600
LOG_REPR_CHARS = 90
LOG_VALUE_CHARS = 80


def _local(value: date | datetime) -> date | datetime:
    return timezone.localtime(value) if isinstance(value, datetime) else value


# Formatted by hand rather than with django.utils.dateformat, which parses its pattern
# on every call: a dossier formats about a thousand dates. Each value is made local once.
def _day(local) -> str:
    return f"{local.day}-{local.month}-{local.year}"


def _long_day(local) -> str:
    return f"{local.day} {MONTHS[local.month]} {local.year}"  # the active language's month


def day(value) -> str:
    """5-1-2026"""
    return "" if value is None else _day(_local(value))


def long_day(value) -> str:
    """5 januari 2026"""
    return "" if value is None else _long_day(_local(value))


def moment(value) -> str:
    """5 januari 2026, 14:03"""
    if value is None:
        return ""
    local = _local(value)
    return f"{_long_day(local)}, {local:%H:%M}"


def short_moment(value) -> str:
    """5-1-2026 14:03"""
    if value is None:
        return ""
    local = _local(value)
    return f"{_day(local)} {local:%H:%M}"


def log_moment(value) -> str:
    """5-1-2026 14:03:09"""
    if value is None:
        return ""
    local = _local(value)
    return f"{_day(local)} {local:%H:%M:%S}"


def _truncate(text, chars: int) -> str:
    text = str(text if text is not None else "")
    return text if len(text) <= chars else Truncator(text).chars(chars)


def _name(person: dict | None) -> str:
    return (person or {}).get("name") or ""


def _evidence(row: dict) -> dict:
    size = ""
    if row["file_name"] and row["size"] is not None:
        size = str(filesizeformat(row["size"])).replace("\xa0", " ")
    return {
        "title": row["title"],
        "kind_label": row["kind_label"],
        "file_name": row["file_name"],
        "size": size,
        "added_by": _name(row["added_by"]),
        "added_at": short_moment(row["added_at"]),
        "withdrawn": row["withdrawn"],
        "withdrawn_by": _name(row["withdrawn_by"]),
        "withdrawn_at": day(row["withdrawn_at"]),
        "withdrawal_reason": row["withdrawal_reason"],
        "sha256": row["sha256"],
        "url": row["url"],
        "href": safe_href(row["url"]) if row["url"] else "",
        "note": _truncate(row["note"], NOTE_CHARS) if row["note"] else "",
    }


def _risk(row: dict) -> dict:
    if row["accepted"]:
        until = (
            f", geldig tot {day(row['acceptance_expires'])}" if row["acceptance_expires"] else ""
        )
        state = f"geaccepteerd door {_name(row['accepted_by'])} op {day(row['accepted_at'])}{until}"
    elif row["acceptance_expired"]:
        state = (
            f"acceptatie verlopen op {day(row['acceptance_expires'])} "
            f"(was: {_name(row['accepted_by'])})"
        )
    else:
        state = "niet geaccepteerd"
    return {
        "description": row["description"],
        "likelihood": row["likelihood"],
        "impact": row["impact"],
        "score": row["score"],
        "owner": _name(row["owner"]) or "—",
        "accepted": row["accepted"],
        "state": state,
        "mitigation": row["mitigation"],
    }


def _item(item: dict) -> dict:
    return {
        "id": item["id"],
        "code": item["code"] or item["kind_label"],
        "title": item["title"],
        "kind_label": item["kind_label"],
        "status": item["status"],
        "status_label": item["status_label"],
        "retired": item["retired"],
        "retired_at": day(item["retired_at"]),
        "retired_reason": item["retired_reason"],
        "overdue": item["overdue"],
        "urn": item["urn"] or item["slug"],
        "owner": _name(item["owner"]) or "—",
        "due_date": day(item["due_date"]) or "—",
        "topics": ", ".join(item["topics"]),
        "norms": ", ".join(item["norms"]),
        "justification": item["justification"],
        "reasons": "; ".join(reason["text"] for reason in item["reasons"]),
        "instruction": instruction_nodes(item, INSTRUCTION_LEVEL),
        "evidence": [_evidence(row) for row in item["evidence"]],
        "risks": [_risk(row) for row in item["risks"]],
        "verdicts": [
            {
                "label": row["verdict_label"],
                "by": _name(row["decided_by"]),
                "at": day(row["decided_at"]),
                "rationale": row["rationale"],
                "conditions": row["conditions"],
            }
            for row in item["item_decisions"]
        ],
    }


def _decision(row: dict, known: set[str]) -> dict:
    def target(pk) -> str:
        anchor = f"besluit-{pk}"
        return anchor if pk is not None and anchor in known else ""

    return {
        "anchor": f"besluit-{row['id']}",
        "gate_label": row["gate_label"],
        "outcome_label": row["outcome_label"],
        "decided_by": _name(row["decided_by"]),
        "decided_on": long_day(row["decided_at"]),
        "decided_at": moment(row["decided_at"]),
        "decided_short": short_moment(row["decided_at"]),
        "current": row["current"],
        "superseded_by": target(row["superseded_by_id"]),
        "supersedes": target(row["supersedes_id"]),
        "snapshot_hash": row["snapshot_hash"],
        "snapshot_verifies": row["snapshot_verifies"],
        "rationale": row["rationale"],
        "conditions": [
            {
                "description": condition["description"],
                "blocker_label": condition.get("blocker_label") or "",
                "owner": _name(condition["owner"]),
                "due_date": day(condition["due_date"]),
                "status": condition["status_label"]
                + (f" op {day(condition['completed_at'])}" if condition["completed_at"] else ""),
            }
            for condition in row["conditions"]
        ],
    }


def _pilot(pilot: dict) -> dict:
    limits = []
    if pilot["max_cases"]:
        limits.append(f"maximaal {pilot['max_cases']} zaken")
    if pilot["other_limit"]:
        limits.append(pilot["other_limit"])
    evaluation = pilot["evaluation"]
    return {
        "title": f"Pilot van {long_day(pilot['start_date'])} tot {long_day(pilot['end_date'])}",
        "limits": "; ".join(limits) or "—",
        "units": pilot["units"],
        "participants": pilot["participants"],
        "agreements": pilot["agreements"],
        "production_data": (
            f"ja; grondslag: {pilot['legal_basis']}"
            if pilot["processes_production_data"]
            else "nee"
        ),
        "legal_basis_url": pilot["legal_basis_url"] if pilot["processes_production_data"] else "",
        "created": f"{_name(pilot['created_by'])}, {long_day(pilot['created_at'])}",
        "criteria": [
            {
                "name": row["name"],
                "metric": row["metric"],
                "expected": row["expected"],
                "measured": "—" if row["measured_value"] is None else str(row["measured_value"]),
                "met": "—" if row["met"] is None else ("ja" if row["met"] else "nee"),
            }
            for row in pilot["success_criteria"]
        ],
        "evaluation": None
        if evaluation is None
        else {
            "usability": evaluation["usability_findings"],
            "other": evaluation["other_findings"] or "—",
            "by": f"{_name(evaluation['evaluated_by'])}, {moment(evaluation['evaluated_at'])}",
        },
    }


def _audit(audit: dict) -> dict:
    lines = []
    for entry in audit["entries"]:
        changes = "".join(
            f" · {c['label']}: {_truncate(c['old'], LOG_VALUE_CHARS)} → "
            f"{_truncate(c['new'], LOG_VALUE_CHARS)}"
            for c in entry["change_list"]
        )
        lines.append(
            f"#{entry['seq']} {log_moment(entry['at'])} · "
            f"{entry['actor'] or 'systeem'} · {entry['object_type_label']} "
            f"{entry['action_label']}: {_truncate(entry['object_repr'], LOG_REPR_CHARS)} · "
            f"{(entry['hash'] or '')[:12]}{changes}"
        )
    return {"total": audit["total"], "complete": audit["complete"], "lines": lines}


def _summary(summary: dict, known: set[str]) -> dict:
    def target(item_id) -> str:
        anchor = f"item-{item_id}"
        return anchor if item_id and anchor in known else ""

    return {
        "progress": summary["progress"],
        "go_live_ready": summary["go_live_ready"],
        "affected_persons_mandatory": summary["affected_persons_mandatory"],
        "blocker_counts": summary["blocker_counts"],
        "blockers": [
            {
                "category_title": row["category_title"],
                "label": row["label"],
                "target": target(row.get("item_id")),
            }
            for row in summary["blockers"]
        ],
        "criteria": [
            {
                "title": row["title"],
                "target": target(row["item_id"]),
                "mandatory": row["mandatory"],
                "status_label": row["status_label"],
                "ok": "ja" if row["ok"] else "nee",
            }
            for row in summary["criteria"]
        ],
    }


def _classification(run: dict | None) -> dict:
    """The grounds for the AI profile (the latest decision-aid run) as plain text."""
    if run is None:
        return {"present": False}
    return {
        "present": True,
        "intro": (
            f"Bepaald met de {run['tree_name']}, versie {run['tree']}, door "
            f"{_name(run['created_by'])} op {moment(run['created_at'])}. "
            f"Conclusie {run['conclusion_id']}: {run['conclusion']}"
        ),
        "review": run["review_reason"] if run["needs_review"] else "",
        "steps": [
            {"question": f"{step['question_id']}. {step['question']}", "answer": step["answer"]}
            for step in run["steps"]
        ],
    }


def typst_input(dossier: dict) -> dict:
    """The dossier as the template's JSON input (call inside the Dutch locale and the
    Europe/Amsterdam time zone, as tracker.exports.pdf does)."""
    algorithm = dossier["algorithm"]
    by_id = {item["id"]: item for item in dossier["items"]}
    known = {f"item-{pk}" for pk in by_id} | {
        f"besluit-{row['id']}" for row in dossier["decisions"]
    }
    release = dossier["release"]
    stage = f", stap {algorithm['stage_label'].lower()}" if algorithm["stage"] else ""
    return {
        "title": f"Auditdossier {algorithm['name']}",
        "author": dossier["generated_by"],
        "description": (
            f"Auditdossier van het algoritme {algorithm['name']} "
            f"({algorithm['organisation']['name']}) volgens het Algoritmekader, "
            f"release {release['label']}"
        ),
        "keywords": ["Algoritmekader", "auditdossier", algorithm["slug"]],
        "generated_at": moment(dossier["generated_at"]),
        "generated_short": short_moment(dossier["generated_at"]),
        "generated_by": dossier["generated_by"],
        "algorithm": {
            "name": algorithm["name"],
            "slug": algorithm["slug"],
            "description": algorithm["description"],
            "organisation": algorithm["organisation"]["name"],
            "phase": f"{algorithm['phase_label']}{stage}",
            "profile": algorithm["ai_profile_rows"],
            "version": algorithm["version"],
        },
        "release": {"label": release["label"], "hash": release["content_hash"]},
        "members": [{"name": row["name"], "role": row["role_label"]} for row in dossier["members"]],
        "summary": _summary(dossier["summary"], known),
        "classification": _classification(dossier.get("classification")),
        "decisions": [_decision(row, known) for row in dossier["decisions"]],
        "pilots": [_pilot(row) for row in dossier["pilots"]],
        "groups": [
            {
                "anchor": f"groep-{group['key']}",
                "title": group["title"],
                "items": [_item(by_id[pk]) for pk in group["item_ids"]],
            }
            for group in dossier["groups"]
        ],
        "audit": _audit(dossier["audit"]),
        "norms": [
            {
                "name": f"{norm['framework']} {norm['number']}",
                "items": [
                    {
                        "target": f"item-{row['item_id']}" if row["item_id"] in by_id else "",
                        "code": row["code"],
                        "title": row["title"],
                        "status_label": row["status_label"],
                        "retired": row["retired"],
                        "via": ", ".join(
                            "relatie" if via == "relatie-csv" else "item" for via in row["via"]
                        ),
                    }
                    for row in norm["items"]
                ],
            }
            for norm in dossier["norms"]
        ],
    }
