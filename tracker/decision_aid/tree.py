"""The decision tree as plain data, parsed and validated from an upstream folder.

A folder holds ``decision-tree.yaml``, ``categories.yaml`` and ``definitions.yaml``
(see ../shared/beslishulp/README.md). ``parse_folder`` reads all three, checks every
reference (next question, next conclusion, redirect targets) and parses every ``if``
condition; any problem raises ``DecisionAidError`` naming the file and the field.
``Tree.to_data()`` / ``Tree.from_data()`` round-trip through JSON for storage.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracker.decision_aid.conditions import ConditionError, parse_condition

TREE_FILE = "decision-tree.yaml"
CATEGORIES_FILE = "categories.yaml"
DEFINITIONS_FILE = "definitions.yaml"


class DecisionAidError(ValueError):
    """Bad input: names the file and the field."""

    def __init__(self, file: str, where: str, message: str) -> None:
        self.file, self.where, self.message = file, where, message
        super().__init__(f"{file}: {where}: {message}")


@dataclass(frozen=True)
class Target:
    kind: str  # "question" or "conclusion"
    id: str


@dataclass(frozen=True)
class Redirect:
    target: Target
    condition: str  # the upstream text, parsed by tracker.decision_aid.conditions


@dataclass(frozen=True)
class Answer:
    answer: str
    labels: tuple[str, ...] = ()
    subresult: str = ""
    target: Target | None = None
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    explanation: str = ""
    category: str = ""
    subcategory: str = ""
    sources: tuple[tuple[str, str], ...] = ()  # (source, url)
    answers: tuple[Answer, ...] = ()
    group: str = ""  # the label group of categories.yaml


@dataclass(frozen=True)
class Conclusion:
    id: str
    conclusion: str
    obligation: str = ""
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Tree:
    name: str
    version: str
    questions: dict[str, Question]
    conclusions: dict[str, Conclusion]
    definitions: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> Question:
        return next(iter(self.questions.values()))

    def question_hash(self, question_id: str) -> str:
        """A fingerprint of what a question says and where its answers lead."""
        question = self.questions.get(question_id)
        return _hash(_question_data(question)) if question else ""

    def conclusion_hash(self, conclusion_id: str) -> str:
        conclusion = self.conclusions.get(conclusion_id)
        return _hash(_conclusion_data(conclusion)) if conclusion else ""

    def to_data(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "questions": [_question_data(q) for q in self.questions.values()],
            "conclusions": [_conclusion_data(c) for c in self.conclusions.values()],
            "definitions": self.definitions,
        }

    @classmethod
    def from_data(cls, data: dict) -> "Tree":
        def target(raw):
            return Target(raw[0], raw[1]) if raw else None

        questions = {
            q["id"]: Question(
                id=q["id"],
                question=q["question"],
                explanation=q["explanation"],
                category=q["category"],
                subcategory=q["subcategory"],
                sources=tuple(tuple(s) for s in q["sources"]),
                group=q["group"],
                answers=tuple(
                    Answer(
                        answer=a["answer"],
                        labels=tuple(a["labels"]),
                        subresult=a["subresult"],
                        target=target(a["target"]),
                        redirects=tuple(
                            Redirect(target(r["target"]), r["if"]) for r in a["redirects"]
                        ),
                    )
                    for a in q["answers"]
                ),
            )
            for q in data["questions"]
        }
        conclusions = {
            c["id"]: Conclusion(
                c["id"], c["conclusion"], c["obligation"], tuple(tuple(s) for s in c["sources"])
            )
            for c in data["conclusions"]
        }
        return cls(data["name"], data["version"], questions, conclusions, data["definitions"])


def _target_data(target: Target | None):
    return [target.kind, target.id] if target else None


def _question_data(q: Question) -> dict:
    return {
        "id": q.id,
        "question": q.question,
        "explanation": q.explanation,
        "category": q.category,
        "subcategory": q.subcategory,
        "sources": [list(s) for s in q.sources],
        "group": q.group,
        "answers": [
            {
                "answer": a.answer,
                "labels": list(a.labels),
                "subresult": a.subresult,
                "target": _target_data(a.target),
                "redirects": [
                    {"target": _target_data(r.target), "if": r.condition} for r in a.redirects
                ],
            }
            for a in q.answers
        ],
    }


def _conclusion_data(c: Conclusion) -> dict:
    return {
        "id": c.id,
        "conclusion": c.conclusion,
        "obligation": c.obligation,
        "sources": [list(s) for s in c.sources],
    }


def _hash(data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- parsing an upstream folder ---------------------------------------------------


def _load(folder: Path, name: str, required: bool = True):
    path = folder / name
    if not path.is_file():
        if required:
            raise DecisionAidError(name, "bestand", f"ontbreekt in {folder}")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise DecisionAidError(name, "bestand", f"geen geldige YAML: {error}") from error


def _text(raw, file: str, where: str, *, required: bool = False) -> str:
    if raw is None:
        if required:
            raise DecisionAidError(file, where, "ontbreekt")
        return ""
    if not isinstance(raw, str | int | float):
        raise DecisionAidError(file, where, f"moet tekst zijn, niet {type(raw).__name__}")
    text = str(raw).strip()
    if required and not text:
        raise DecisionAidError(file, where, "is leeg")
    return text


def _sources(raw, file: str, where: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise DecisionAidError(file, f"{where}.sources", "moet een lijst zijn")
    found = []
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise DecisionAidError(file, f"{where}.sources[{n}]", "moet {source, url} zijn")
        found.append(
            (
                _text(entry.get("source"), file, f"{where}.sources[{n}].source", required=True),
                _text(entry.get("url"), file, f"{where}.sources[{n}].url"),
            )
        )
    return tuple(found)


def _target(raw: dict, file: str, where: str) -> Target | None:
    question = raw.get("nextQuestionId")
    conclusion = raw.get("nextConclusionId")
    if question is not None and conclusion is not None:
        raise DecisionAidError(file, where, "zowel nextQuestionId als nextConclusionId")
    if question is not None:
        return Target("question", _text(question, file, f"{where}.nextQuestionId", required=True))
    if conclusion is not None:
        return Target(
            "conclusion", _text(conclusion, file, f"{where}.nextConclusionId", required=True)
        )
    return None


def _answer(raw, where: str) -> Answer:
    file = TREE_FILE
    if not isinstance(raw, dict):
        raise DecisionAidError(file, where, "moet een antwoord met 'answer' zijn")
    labels = raw.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise DecisionAidError(file, f"{where}.labels", "moet een lijst met tekst zijn")
    redirects = []
    for n, entry in enumerate(raw.get("redirects") or []):
        spot = f"{where}.redirects[{n}]"
        if not isinstance(entry, dict):
            raise DecisionAidError(file, spot, "moet {nextQuestionId | nextConclusionId, if} zijn")
        target = _target(entry, file, spot)
        if target is None:
            raise DecisionAidError(file, spot, "geen nextQuestionId of nextConclusionId")
        condition = _text(entry.get("if"), file, f"{spot}.if", required=True)
        try:
            parse_condition(condition)
        except ConditionError as error:
            raise DecisionAidError(file, f"{spot}.if", str(error)) from error
        redirects.append(Redirect(target, condition))
    target = _target(raw, file, where)
    if target is None and not redirects:
        raise DecisionAidError(file, where, "leidt nergens heen (geen volgende vraag of conclusie)")
    return Answer(
        answer=_text(raw.get("answer"), file, f"{where}.answer", required=True),
        labels=tuple(label.strip() for label in labels),
        subresult=_text(raw.get("subresult"), file, f"{where}.subresult"),
        target=target,
        redirects=tuple(redirects),
    )


def _groups(raw) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise DecisionAidError(CATEGORIES_FILE, "bestand", "moet een lijst zijn")
    groups = {}
    for n, entry in enumerate(raw):
        if not isinstance(entry, dict) or "questionId" not in entry:
            raise DecisionAidError(CATEGORIES_FILE, f"[{n}]", "questionId ontbreekt")
        groups[str(entry["questionId"])] = _text(
            entry.get("subcategory"), CATEGORIES_FILE, f"[{n}].subcategory"
        )
    return groups


def group_for(question_id: str, groups: dict[str, str]) -> str:
    """The label group of a question: categories.yaml names "1.4" for 1.4.1 and 1.4.2,
    "2" for 2.1 .. 2.6; the longest id that equals or prefixes it (by parts) wins."""
    parts = question_id.split(".")
    for length in range(len(parts), 0, -1):
        key = ".".join(parts[:length])
        if key in groups:
            return groups[key]
    return ""


def _entries(raw: dict, key: str, id_key: str, noun: str):
    """(id, where, entry) for each entry of the list ``raw[key]``: a non-empty list of
    mappings with unique ids, or a DecisionAidError saying which entry is wrong."""
    entries = raw.get(key)
    if not isinstance(entries, list) or not entries:
        raise DecisionAidError(TREE_FILE, key, "ontbreekt of is leeg")
    seen = set()
    for n, entry in enumerate(entries):
        where = f"{key}[{n}]"
        if not isinstance(entry, dict):
            raise DecisionAidError(TREE_FILE, where, f"moet een {noun} zijn")
        entry_id = _text(entry.get(id_key), TREE_FILE, f"{where}.{id_key}", required=True)
        where = f"{noun} {entry_id}"
        if entry_id in seen:
            raise DecisionAidError(TREE_FILE, f"{where}.{id_key}", "komt twee keer voor")
        seen.add(entry_id)
        yield entry_id, where, entry


def parse_folder(folder: Path) -> Tree:
    folder = Path(folder)
    if not folder.is_dir():
        raise DecisionAidError(str(folder), "map", "bestaat niet of is geen map")
    raw = _load(folder, TREE_FILE)
    if not isinstance(raw, dict):
        raise DecisionAidError(TREE_FILE, "bestand", "moet een mapping met questions zijn")
    groups = _groups(_load(folder, CATEGORIES_FILE, required=False))
    questions: dict[str, Question] = {}
    for qid, where, entry in _entries(raw, "questions", "questionId", "vraag"):
        answers = entry.get("answers")
        if not isinstance(answers, list) or not answers:
            raise DecisionAidError(TREE_FILE, f"{where}.answers", "ontbreekt of is leeg")
        questions[qid] = Question(
            id=qid,
            question=_text(entry.get("question"), TREE_FILE, f"{where}.question", required=True),
            explanation=_text(entry.get("explanation"), TREE_FILE, f"{where}.explanation"),
            category=_text(entry.get("category"), TREE_FILE, f"{where}.category"),
            subcategory=_text(entry.get("subcategory"), TREE_FILE, f"{where}.subcategory"),
            sources=_sources(entry.get("sources"), TREE_FILE, where),
            answers=tuple(
                _answer(answer, f"{where}.answers[{i}]") for i, answer in enumerate(answers)
            ),
            group=group_for(qid, groups),
        )
    conclusions: dict[str, Conclusion] = {}
    for cid, where, entry in _entries(raw, "conclusions", "conclusionId", "conclusie"):
        conclusions[cid] = Conclusion(
            id=cid,
            conclusion=_text(
                entry.get("conclusion"), TREE_FILE, f"{where}.conclusion", required=True
            ),
            obligation=_text(entry.get("obligation"), TREE_FILE, f"{where}.obligation"),
            sources=_sources(entry.get("sources"), TREE_FILE, where),
        )
    for question in questions.values():
        for i, answer in enumerate(question.answers):
            targets = [answer.target] if answer.target else []
            targets += [r.target for r in answer.redirects]
            for target in targets:
                known = questions if target.kind == "question" else conclusions
                if target.id not in known:
                    kind = "vraag" if target.kind == "question" else "conclusie"
                    raise DecisionAidError(
                        TREE_FILE,
                        f"vraag {question.id}.answers[{i}]",
                        f"verwijst naar {kind} {target.id}, die niet bestaat",
                    )
    definitions = {}
    raw_definitions = _load(folder, DEFINITIONS_FILE, required=False) or {}
    for n, entry in enumerate(raw_definitions.get("definitions") or []):
        if isinstance(entry, dict) and entry.get("term"):
            definitions[str(entry["term"]).strip()] = _text(
                entry.get("definition"), DEFINITIONS_FILE, f"definitions[{n}].definition"
            )
    return Tree(
        name=_text(raw.get("name"), TREE_FILE, "name") or "Beslishulp AI-verordening",
        version=_text(raw.get("version"), TREE_FILE, "version"),
        questions=questions,
        conclusions=conclusions,
        definitions=definitions,
    )
