"""import_decision_aid: versioned, idempotent, one transaction, clear errors; a newer
version flags exactly the algorithms whose stored path crosses a change."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from tests.decision_aid.helpers import aid_dir
from tests.decision_aid.test_walk_real import HIGH_RISK_DEPLOYER, NOT_AN_ALGORITHM
from tests.world import make_algorithm, make_user
from tracker.audit.verify import verify_chain
from tracker.decision_aid.importer import import_tree
from tracker.decision_aid.models import DecisionAidRun, DecisionTree
from tracker.decision_aid.runs import store_and_apply
from tracker.decision_aid.walk import choices_for, walk

pytestmark = pytest.mark.django_db


def test_import_is_versioned_and_idempotent(capsys):
    call_command("import_decision_aid", str(aid_dir("v1.2.24")))
    assert "v1.2.24: 22 vragen, 50 conclusies" in capsys.readouterr().out
    call_command("import_decision_aid", str(aid_dir("v1.2.24")))
    assert "(unchanged)" in capsys.readouterr().out
    tree = DecisionTree.objects.get()
    assert tree.label == "v1.2.24"
    assert len(tree.tree().questions) == 22


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda text: text.replace('nextQuestionId: "1.2"', 'nextQuestionId: "9.9"', 1),
            "decision-tree.yaml: vraag 1.1.answers[0]: verwijst naar vraag 9.9",
        ),
        (
            lambda text: text.replace("if: '", "if: 'eval(", 1),
            "decision-tree.yaml: vraag 1.4.2.answers[1].redirects[0].if",
        ),
        (lambda text: text + "\n  - [", "decision-tree.yaml: bestand: geen geldige YAML"),
    ],
)
def test_bad_input_names_file_and_field_and_writes_nothing(tmp_path, mutate, message):
    folder = tmp_path / "kapot"
    shutil.copytree(aid_dir("v1.2.24"), folder)
    path = folder / "decision-tree.yaml"
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace(".", r"\.").replace("[", r"\[")):
        call_command("import_decision_aid", str(folder))
    assert not DecisionTree.objects.exists()


def run_for(algorithm, tree, answers, actor):
    result = walk(tree.tree(), choices_for(tree.tree(), answers))
    algorithm.refresh_from_db()
    return store_and_apply(algorithm, tree, result, actor=actor, version=algorithm.version)


def test_newer_version_flags_exactly_the_runs_crossing_a_change(catalog_release):
    actor = make_user("aid-actor")
    old = import_tree(aid_dir("v1.2.23")).tree
    crossing = make_algorithm(release=catalog_release, phase="ontwerp", stage="", name="Scan")
    untouched = make_algorithm(release=catalog_release, phase="ontwerp", stage="", name="Regels")
    flagged_run = run_for(crossing, old, HIGH_RISK_DEPLOYER, actor)  # crosses 1.4.1, 2.1
    kept_run = run_for(untouched, old, NOT_AN_ALGORITHM, actor)  # 1.1 -> 11.0: unchanged

    result = import_tree(aid_dir("v1.2.24"))

    assert [run.pk for run in result.flagged] == [flagged_run.pk]
    flagged_run.refresh_from_db()
    kept_run.refresh_from_db()
    assert flagged_run.needs_review
    assert flagged_run.review_tree == result.tree
    assert "vraag 1.4.1 is gewijzigd" in flagged_run.review_reason
    assert "conclusie 13.0.2 is gewijzigd" in flagged_run.review_reason
    assert flagged_run.tree == old  # the earlier run stays as it was
    assert flagged_run.steps[0]["question_id"] == "1.1"
    assert not kept_run.needs_review
    assert DecisionAidRun.objects.count() == 2
    assert crossing.audit_entries.filter(action="classification_review").count() == 1
    assert not untouched.audit_entries.filter(action="classification_review").exists()
    assert verify_chain().ok


@pytest.fixture
def catalog_release():
    from tests.builders import make_release

    return make_release("ak-aid")


def test_the_current_version_is_the_newest_by_label_not_the_last_imported(catalog_release):
    """Importing an older version late (history, or a mistake) neither makes it the
    version new runs use nor flags runs on the newer one for review."""
    actor = make_user("aid-actor")
    newer = import_tree(aid_dir("v1.2.24")).tree
    algorithm = make_algorithm(release=catalog_release, phase="ontwerp", stage="", name="Scan")
    run = run_for(algorithm, newer, HIGH_RISK_DEPLOYER, actor)

    older = import_tree(aid_dir("v1.2.23"))

    assert older.created
    assert older.flagged == []
    assert DecisionTree.objects.current() == newer
    run.refresh_from_db()
    assert not run.needs_review
    assert not algorithm.audit_entries.filter(action="classification_review").exists()
