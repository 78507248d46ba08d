"""Importing a version of the decision tree, like content: versioned, idempotent, one
transaction. Parse and validate everything first, then write.

Importing a newer version flags *classificatie opnieuw bekijken* on exactly the
algorithms whose latest stored run passes through a question or reaches a conclusion
that the new version changed (or dropped). The earlier run stays as it was.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tracker.audit.trail import Pending, record_many
from tracker.decision_aid.models import DecisionAidRun, DecisionTree
from tracker.decision_aid.tree import DecisionAidError, Tree, parse_folder


@dataclass
class ImportResult:
    tree: DecisionTree
    created: bool
    flagged: list[DecisionAidRun] = field(default_factory=list)


def changed_on_path(old: Tree, new: Tree, run: DecisionAidRun) -> list[str]:
    """Readable Dutch descriptions of what changed on the run's path ([] when nothing)."""
    changes = []
    for question_id in run.question_ids:
        if old.question_hash(question_id) != new.question_hash(question_id):
            gone = question_id not in new.questions
            changes.append(f"vraag {question_id} {'is vervallen' if gone else 'is gewijzigd'}")
    if old.conclusion_hash(run.conclusion_id) != new.conclusion_hash(run.conclusion_id):
        gone = run.conclusion_id not in new.conclusions
        what = "is vervallen" if gone else "is gewijzigd"
        changes.append(f"conclusie {run.conclusion_id} {what}")
    return changes


def latest_runs() -> list[DecisionAidRun]:
    """The latest run of every algorithm (the one its profile rests on)."""
    runs = DecisionAidRun.objects.select_related("tree", "algorithm").order_by(
        "algorithm_id", "-created_at", "-pk"
    )
    latest: dict[int, DecisionAidRun] = {}
    for run in runs:
        latest.setdefault(run.algorithm_id, run)
    return list(latest.values())


@transaction.atomic
def import_tree(source: Path | str, *, label: str = "", actor=None) -> ImportResult:
    source = Path(source)
    tree = parse_folder(source)
    data = tree.to_data()
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    existing = DecisionTree.objects.filter(content_hash=digest).first()
    if existing is not None:
        return ImportResult(existing, created=False)
    label = label or source.name
    if DecisionTree.objects.filter(label=label).exists():
        raise DecisionAidError(
            str(source), "versie", f"versie {label!r} bestaat al met een andere inhoud"
        )
    stored = DecisionTree.objects.create(
        label=label,
        name=tree.name,
        source=str(source),
        content_hash=digest,
        data=data,
        question_count=len(tree.questions),
        conclusion_count=len(tree.conclusions),
    )
    entries = [
        Pending(
            actor=actor,
            obj=stored,
            action="decision_tree_imported",
            changes={"label": [None, label], "questions": [None, len(tree.questions)]},
        )
    ]
    flagged = []
    for run in latest_runs():
        # An older version imported late (a re-import of history) flags nothing.
        if not stored.is_newer_than(run.tree):
            continue
        changes = changed_on_path(run.tree.tree(), tree, run)
        if not changes:
            continue
        run.review_tree = stored
        run.review_reason = f"Nieuwe versie {label} van de beslishulp: " + "; ".join(changes)
        run.save(update_fields=["review_tree", "review_reason"])
        flagged.append(run)
        entries.append(
            Pending(
                actor=actor,
                obj=run,
                action="classification_review",
                changes={"review_reason": ["", run.review_reason]},
                algorithm=run.algorithm,
            )
        )
    record_many(entries)
    return ImportResult(stored, created=True, flagged=flagged)
