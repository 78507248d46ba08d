"""What the aid's pages show: the question, the result and its checklist preview."""

from dataclasses import dataclass

from django.http import QueryDict

from tracker.applicability.labels import DIMENSIONS_BY_SLUG, split_label
from tracker.decision_aid.html import clean
from tracker.decision_aid.models import DecisionTree
from tracker.decision_aid.walk import Walk, WalkError, walk


@dataclass(frozen=True)
class Answers:
    """The answers so far, as they travel in the query string (``a=0&a=4&...``)."""

    tree: DecisionTree
    choices: tuple[int, ...]

    @classmethod
    def from_query(cls, query: QueryDict, tree: DecisionTree) -> "Answers":
        choices = []
        for raw in query.getlist("a"):
            if not raw.isdigit():
                raise WalkError(f"Ongeldig antwoord {raw!r}")
            choices.append(int(raw))
        return cls(tree, tuple(choices))

    def query(self, extra: int | None = None, drop_last: bool = False) -> str:
        choices = list(self.choices[:-1] if drop_last else self.choices)
        if extra is not None:
            choices.append(extra)
        return "&".join([f"v={self.tree.pk}", *(f"a={n}" for n in choices)])

    def walk(self) -> Walk:
        return walk(self.tree.tree(), self.choices)


def question_context(answers: Answers, result: Walk) -> dict:
    question = result.question
    steps = len(result.steps)
    return {
        "tree": answers.tree,
        "question": question,
        "explanation": clean(question.explanation),
        "answers": [
            {"index": n, "text": answer.answer, "subresult": answer.subresult}
            for n, answer in enumerate(question.answers)
        ],
        "hidden": [("v", answers.tree.pk), *(("a", n) for n in answers.choices)],
        "back_query": answers.query(drop_last=True) if steps else "",
        "step_number": steps + 1,
        "history": [
            {"question": step.question.question, "answer": step.answer.answer}
            for step in result.steps
        ],
        "definitions": _definitions(answers.tree, question.question + " " + question.explanation),
    }


def _definitions(tree: DecisionTree, text: str) -> list[tuple[str, str]]:
    """The aid's own definitions of terms that occur in the question (at most six)."""
    lowered = text.lower()
    found = [
        (term, definition)
        for term, definition in tree.tree().definitions.items()
        if len(term) > 3 and term.lower() in lowered
    ]
    return found[:6]


def label_rows(content_labels: list[str]) -> list[tuple[str, str]]:
    """Algoritmekader labels as (dimension, value) in Dutch."""
    rows = []
    for label in content_labels:
        parts = split_label(label)
        if parts is None:
            continue
        dimension = DIMENSIONS_BY_SLUG[parts[0]]
        value = "Geen algoritme" if parts[1] == "geen-algoritme" else dimension.value_name(parts[1])
        rows.append((dimension.name, value))
    return rows
