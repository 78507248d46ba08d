"""Walking the tree: from answers to a conclusion, collecting labels on the way.

A walk is a list of answer choices, one per question visited (the answer's index).
``walk()`` replays them from the first question: each answer adds its labels, then
leads on by ``nextQuestionId`` / ``nextConclusionId`` or by the first of its
``redirects`` whose condition holds for the labels collected so far (upstream's
rule). A choice that does not fit (unknown index, no redirect holds) raises
``WalkError``; the views turn that into a page that says so.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from tracker.decision_aid.conditions import parse_condition
from tracker.decision_aid.tree import Answer, Conclusion, Question, Target, Tree


class WalkError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    question: Question
    answer: Answer
    index: int


@dataclass(frozen=True)
class Walk:
    steps: tuple[Step, ...] = ()
    question: Question | None = None  # the next question to answer (None when concluded)
    conclusion: Conclusion | None = None
    labels: tuple[tuple[str, str], ...] = field(default=())  # (group, label), in order

    @property
    def is_done(self) -> bool:
        return self.conclusion is not None

    @property
    def label_names(self) -> frozenset[str]:
        return frozenset(label for _, label in self.labels)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(step.question.id for step in self.steps)


def next_target(answer: Answer, labels: frozenset[str]) -> Target:
    """Where an answer leads, given the labels collected (its own included)."""
    if answer.target is not None:
        return answer.target
    for redirect in answer.redirects:
        if parse_condition(redirect.condition).holds(labels):
            return redirect.target
    raise WalkError(f"Geen vervolg voor het antwoord '{answer.answer}' bij deze antwoorden")


def walk(tree: Tree, choices: Sequence[int]) -> Walk:
    """Replay ``choices`` (answer indexes) from the first question."""
    question = tree.first
    steps: list[Step] = []
    labels: list[tuple[str, str]] = []
    for index in choices:
        if question is None:
            raise WalkError("Er zijn meer antwoorden dan vragen op dit pad")
        if not 0 <= index < len(question.answers):
            raise WalkError(f"Vraag {question.id} heeft geen antwoord {index + 1}")
        answer = question.answers[index]
        steps.append(Step(question, answer, index))
        labels += [(question.group, label) for label in answer.labels]
        target = next_target(answer, frozenset(label for _, label in labels))
        if target.kind == "conclusion":
            return Walk(tuple(steps), None, tree.conclusions[target.id], tuple(labels))
        question = tree.questions[target.id]
    return Walk(tuple(steps), question, None, tuple(labels))


def choices_for(tree: Tree, answers: Sequence[tuple[str, str]]) -> list[int]:
    """Answer indexes from (question id, answer text) pairs, checked against the tree."""
    choices = []
    for question_id, text in answers:
        question = tree.questions.get(question_id)
        if question is None:
            raise WalkError(f"Vraag {question_id} bestaat niet")
        texts = [answer.answer for answer in question.answers]
        if text not in texts:
            raise WalkError(f"Vraag {question_id} heeft geen antwoord '{text}'")
        choices.append(texts.index(text))
    return choices
