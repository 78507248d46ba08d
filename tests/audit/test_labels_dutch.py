"""Every label the audit trail can show is Dutch: on the log page and in the PDF dossier.

The universe of labels is taken from the code itself, so a new action or a new recorded
field without a Dutch name fails here:

- actions: every string the code passes as an audit action (read from tracker/ with ast);
- object types: every model the trail is written for (labels.OBJECT_TYPES, checked
  against the models the code records);
- fields: every concrete field of those models, and every key the code writes into a
  ``changes={...}`` literal (``sync_reason``, ``added``, ...).

Each must have an explicit Dutch name (labels.FIELDS, labels.ACTIONS, labels.OBJECT_TYPES
or an explicit verbose_name); then one entry per action and per object type, with every
field changed, is rendered on the log page and into the PDF, and no English label or raw
code may appear there.
"""

import ast
import io
import re
from pathlib import Path

import pypdf
import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.world import make_world
from tracker.audit import labels
from tracker.audit.trail import Pending, record_many

pytestmark = pytest.mark.django_db
TRACKER = Path(settings.BASE_DIR) / "tracker"

# Words that only an English or code-derived label would put on the page.
ENGLISH = re.compile(
    r"\b(sync reason|snapshot hash|snapshot|outcome|gate|retired|reactivated|created at|"
    r"updated at|supersedes?|superseded|fulfil|void acceptance|revoke acceptance|blocker|"
    r"decision|condition|owner|completed at|stored name|position|evaluated (?:by|at)|"
    r"reasons updated|added|member added|profile changed|checklist synced|item added|"
    r"catalog item|author|algorithm|evaluation|criterion|created|updated)\b",
    re.IGNORECASE,
)


def _python_files():
    return sorted(p for p in TRACKER.rglob("*.py") if "migrations" not in p.parts)


def _constants(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def recorded_actions() -> set[str]:
    """Every audit action the code writes: ``action=...`` (record, Pending), an
    ``action`` variable, the seeder's ``log(actor, obj, action, ...)`` and the
    ``(action, changes)`` pairs of the versioned risk updates."""
    found: set[str] = set()
    for path in _python_files():
        tree = ast.parse(path.read_text())
        options = {  # argparse's add_argument(action=...) is no audit action
            id(k)
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "add_argument"
            for k in call.keywords
        }
        for node in ast.walk(tree):
            keyword = (
                isinstance(node, ast.keyword) and node.arg == "action" and id(node) not in options
            )
            variable = isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("action") for t in node.targets
            )
            if keyword or variable:
                found.update(_constants(node.value))
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("log",):
                if len(node.args) >= 3:
                    found.update(_constants(node.args[2]))
            elif (
                path.name == "actions.py"
                and path.parent.name == "risks"
                and isinstance(node, ast.Tuple)
                and len(node.elts) == 2
                and isinstance(node.elts[1], ast.Name | ast.Call)
            ):
                found.update(_constants(node.elts[0]))
    return found


def recorded_change_keys() -> set[str]:
    """Every key of a ``changes={...}`` literal in the code."""
    found: set[str] = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "changes":
                value = node.value
                if isinstance(value, ast.Dict):
                    found.update(k.value for k in value.keys if isinstance(k, ast.Constant))
    return found


def audited_models():
    return {name: apps.get_model(name) for name in labels.OBJECT_TYPES}


def _explicit_label(model, name: str) -> bool:
    if name in labels.FIELDS or name in labels.HIDDEN:
        return True
    try:
        field = model._meta.get_field(name)
    except Exception:  # not a field of this model
        return False
    return str(field.verbose_name) != name.replace("_", " ")


def test_every_recorded_action_has_a_dutch_name() -> None:
    actions = recorded_actions()
    assert {"create", "item_added", "supersede", "fulfil", "void_acceptance"} <= actions
    missing = sorted(a for a in actions if a not in labels.ACTIONS)
    assert missing == []
    for action in actions:
        assert not ENGLISH.search(labels.action_label(action)), action


def test_every_field_of_an_audited_model_and_every_recorded_key_has_a_dutch_name() -> None:
    missing = [
        f"{object_type}.{field.name}"
        for object_type, model in audited_models().items()
        for field in model._meta.concrete_fields
        if not _explicit_label(model, field.name)
    ]
    assert missing == []
    keys = recorded_change_keys()
    assert {"sync_reason", "added", "retired", "superseded_by", "snapshot_hash"} <= keys
    assert sorted(k for k in keys if k not in labels.FIELDS and k not in labels.HIDDEN) == []
    for object_type, model in audited_models().items():
        assert not ENGLISH.search(labels.object_type_label(object_type)), object_type
        for field in model._meta.concrete_fields:
            label = labels._field_label(labels._field(model, field.name), field.name)
            assert not ENGLISH.search(label), f"{object_type}.{field.name}: {label}"
    for key in keys:
        assert not ENGLISH.search(labels._field_label(None, key)), key


def test_models_the_code_records_are_all_named() -> None:
    """``obj=`` in record()/Pending is one of these models: each has a Dutch name."""
    tracker_models = {m._meta.label_lower for m in apps.get_app_config("tracker").get_models()}
    unaudited = {
        "tracker.contentrelease",
        "tracker.taxon",
        "tracker.law",
        "tracker.catalogitem",
        "tracker.auditnorm",
        "tracker.organisation",
        "tracker.auditentry",
        "tracker.auditchainhead",
        "tracker.readinesssnapshot",
        "tracker.algorithmfigures",  # derived figures, maintained with every audited change
        "tracker.algorithmtopicfigures",  # the same, per topic
        "tracker.registerstandard",  # imported like content
        "tracker.dossierjob",  # a background job, not a team's record
    }
    assert tracker_models - unaudited <= set(labels.OBJECT_TYPES)


def _every_label_trail(world) -> None:
    """One entry per action and per object type, with every field and key changed."""
    keys = recorded_change_keys()
    pending = []
    for model in audited_models().values():
        fields = {f.name: [None, "x"] for f in model._meta.concrete_fields if f.name != "id"}
        obj = model(pk=1)
        pending.append(Pending(world.owner, obj, "update", fields, world.algorithm, repr_="x"))
    algorithm_changes = {key: [None, "1"] for key in keys}
    for action in sorted(recorded_actions()):
        pending.append(
            Pending(world.owner, world.algorithm, action, algorithm_changes, world.algorithm)
        )
    record_many(pending)


def _texts(html: str, css_class: str) -> list[str]:
    tag = re.compile(rf'<(\w+) class="[^"]*{css_class}[^"]*">(.*?)</\1>', re.DOTALL)
    return [re.sub(r"<[^>]+>|\s+", " ", m.group(2)).strip() for m in tag.finditer(html)]


def test_log_page_and_pdf_show_only_dutch_labels(settings, tmp_path) -> None:
    settings.DOSSIER_ROOT = tmp_path
    world = make_world()
    world.owner.first_name, world.owner.last_name = "Olga", "Eigenaar"  # not "owner"
    world.owner.save()
    _every_label_trail(world)
    client = Client()
    client.force_login(world.owner)
    url = reverse("audit:algorithm", args=[world.algorithm.slug])
    shown = []
    for page in range(1, 20):
        response = client.get(url, {"pagina": page})
        html = response.content.decode()
        shown += re.findall(r"<dt>(.*?)</dt>", html)
        shown += _texts(html, "app-audit__what")
        if f"pagina={page + 1}" not in html:
            break
    assert len(shown) > 200
    english = [text for text in shown if ENGLISH.search(re.sub(r"<q>.*?</q>", "", text))]
    assert english == [], sorted(set(english))
    filter_html = client.get(url).content.decode()
    options = re.findall(r"<option value=\"tracker\.[a-z]+\"[^>]*>(.*?)</option>", filter_html)
    assert options
    assert not [o for o in options if ENGLISH.search(o)]

    from tracker.exports.pdf import dossier_pdf

    result = dossier_pdf(world.algorithm, generated_by="Test")
    reader = pypdf.PdfReader(io.BytesIO(result.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    log = text[text.rindex("5. Logboek") :]  # the chapter, not its line in the contents
    # The object's own name ("x") and hashes are data; the labels around them must be Dutch.
    found = [log[max(0, m.start() - 80) : m.end() + 40] for m in ENGLISH.finditer(log)]
    assert found == []
