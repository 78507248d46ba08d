"""One stale-edit mechanism (tracker/audit/stale.py): what changed since a version, read
from the trail, and the user's input re-bound on the current version. Every versioned
object uses it; no module keeps its own copy."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.http import QueryDict

from tracker.audit import stale
from tracker.audit.models import AuditEntry
from tracker.audit.trail import record

pytestmark = pytest.mark.django_db

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
SHARED = TRACKER / "audit" / "stale.py"
# Every versioned object's actions, and the views that answer their 409.
USERS = {
    "checklist/actions.py": {"changes_in", "entries_since"},
    "risks/actions.py": {"changes_in", "entries_since"},
    "algorithms/actions.py": {"entries_since", "with_rows"},
    "pilots/actions.py": {"anchor_seq"},
    "decisions/actions.py": {"entries_since"},
    "web/checklist/views.py": {"rebind"},
    "web/risks/views.py": {"rebind"},
    "web/algorithms/views.py": {"rebind"},
    "web/pilots/views.py": {"with_version"},
}


def entry(world, changes, obj=None) -> AuditEntry:
    return record(
        actor=world.owner,
        obj=obj or world.item,
        action="update",
        changes=changes,
        algorithm=world.algorithm,
    )


def test_entries_since_the_anchor_include_unversioned_ones(world):
    first = entry(world, {"status": ["open", "done"], "version": [1, 2]})
    second = entry(world, {"owner": [None, "a"], "version": [2, 3]})
    retired = entry(world, {"retired_at": [None, "2026-12-01"]})  # e.g. by the sync
    entry(world, {"status": ["x", "y"]}, obj=world.algorithm)  # another object
    entries = AuditEntry.objects.for_object(world.item)
    assert stale.entries_since(entries, 2) == [second, retired]
    assert stale.entries_since(entries, 3) == [retired]
    assert stale.entries_since(entries, None) == [first, second, retired]
    # No anchor (the entry that set version 1 predates versions): those past it.
    assert stale.entries_since(entries, 1) == [first, second]
    assert stale.anchor_seq(entries, 2) == first.seq
    assert stale.anchor_seq(entries, None) == 0


def test_changes_in_gives_one_line_per_field(world):
    entry(world, {"status": ["open", "done"], "due_date": [None, "2027-01-31"], "version": [1, 2]})
    changes = stale.changes_in(
        AuditEntry.objects.for_object(world.item),
        label={"status": "status", "due_date": "deadline"}.get,
        readable=lambda name, value: "leeg" if value is None else str(value),
    )
    assert [(c.field, c.old, c.new, c.actor) for c in changes] == [
        ("status", "open", "done", world.owner.get_username()),
        ("deadline", "leeg", "2027-01-31", world.owner.get_username()),
    ]
    assert str(changes[0]).startswith("status: open -> done door ")


class NoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField()


def test_rebind_keeps_the_input_on_the_current_version():
    posted = QueryDict("version=1&note=Mijn+tekst")
    form = stale.rebind(NoteForm, posted, 4)
    assert form.is_bound
    assert form.is_valid()
    assert form.cleaned_data == {"version": 4, "note": "Mijn tekst"}
    assert posted["version"] == "1"  # the request's data is left alone
    prefixed = stale.rebind(NoteForm, QueryDict("x-version=1&x-note=a"), 2, prefix="x")
    assert prefixed["version"].value() == "2"
    assert stale.with_version(posted, None)["version"] == ""


def test_every_versioned_object_uses_the_one_mechanism():
    for path, names in USERS.items():
        tree = ast.parse((TRACKER / path).read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "tracker.audit.stale"
            for alias in node.names
        }
        assert names <= imported, path


def test_no_module_keeps_its_own_copy():
    """No other change-line class, version-pair reader or form re-binder."""
    own = []
    for path in TRACKER.rglob("*.py"):
        if path == SHARED or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and {"old", "new", "actor"} <= {
                item.target.id for item in node.body if isinstance(item, ast.AnnAssign)
            }:
                own.append(f"{path}: class {node.name}")  # a change line with its actor
            if isinstance(node, ast.FunctionDef) and node.name in (
                "_version_pair",
                "version_pair",
                "_rebased",
                "_with_version",
            ):
                own.append(f"{path}: {node.name}")
    assert own == []
