"""A tiny decision tree for tests that need one without the real data, and the real
versions from ../shared/beslishulp (skipped with a reason when absent)."""

from pathlib import Path

import pytest

from tracker.decision_aid.models import DecisionTree
from tracker.decision_aid.tree import Answer, Conclusion, Question, Target, Tree

SHARED_AID = Path(__file__).resolve().parents[3] / "shared" / "beslishulp"


def aid_dir(label: str) -> Path:
    folder = SHARED_AID / label
    if not (folder / "decision-tree.yaml").is_file():
        pytest.skip(f"real beslishulp not found at {folder} (needs ../shared/)")
    return folder


def tiny_tree() -> Tree:
    first = Question(
        id="1.1",
        question="Bevat de toepassing een algoritme?",
        explanation="Uitleg <strong>vet</strong><script>alert(1)</script>",
        group="Soort toepassing",
        answers=(
            Answer("Ja", ("AI-systeem",), target=Target("conclusion", "1")),
            Answer("Nee", ("geen algoritme",), target=Target("conclusion", "2")),
        ),
    )
    return Tree(
        name="Beslishulp test",
        version="1",
        questions={"1.1": first},
        conclusions={"1": Conclusion("1", "AI"), "2": Conclusion("2", "Geen algoritme")},
    )


def make_decision_tree(label: str = "test-1") -> DecisionTree:
    tree = tiny_tree()
    return DecisionTree.objects.create(
        label=label, name=tree.name, source="test", content_hash=label, data=tree.to_data()
    )
