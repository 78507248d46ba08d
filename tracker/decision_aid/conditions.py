"""A small, safe parser for the ``if`` conditions of the decision tree.

Upstream evaluates them as JavaScript; we parse them. What occurs in v1.2.23 and
v1.2.24 (every ``redirects[].if``)::

    "aanbieder" in labels && ("AI-systeem" in labels || "importeur" in labels)
    !("open-source" in labels) && !("geen open-source" in labels)

Grammar (``!`` binds tightest, then ``&&``, then ``||``)::

    or      := and ("||" and)*
    and     := unary ("&&" unary)*
    unary   := "!" unary | primary
    primary := "(" or ")" | STRING "in" "labels"
    STRING  := '"' [^"]* '"'

Anything else (another identifier, a function call, a single ``&``) is refused with
``ConditionError`` naming the position.
"""

from dataclasses import dataclass
from functools import lru_cache


class ConditionError(ValueError):
    def __init__(self, message: str, text: str, position: int) -> None:
        self.message, self.text, self.position = message, text, position
        super().__init__(f"{message} (positie {position + 1} in {text!r})")


@dataclass(frozen=True)
class Has:
    label: str

    def holds(self, labels) -> bool:
        return self.label in labels

    def labels(self) -> frozenset[str]:
        return frozenset([self.label])


@dataclass(frozen=True)
class Not:
    operand: "Node"

    def holds(self, labels) -> bool:
        return not self.operand.holds(labels)

    def labels(self) -> frozenset[str]:
        return self.operand.labels()


@dataclass(frozen=True)
class All:
    operands: tuple["Node", ...]

    def holds(self, labels) -> bool:
        return all(op.holds(labels) for op in self.operands)

    def labels(self) -> frozenset[str]:
        return frozenset().union(*(op.labels() for op in self.operands))


@dataclass(frozen=True)
class Any_:
    operands: tuple["Node", ...]

    def holds(self, labels) -> bool:
        return any(op.holds(labels) for op in self.operands)

    def labels(self) -> frozenset[str]:
        return frozenset().union(*(op.labels() for op in self.operands))


Node = Has | Not | All | Any_


@dataclass(frozen=True)
class Condition:
    text: str
    root: Node

    def holds(self, labels) -> bool:
        """True when the condition holds for the labels collected so far."""
        return self.root.holds(frozenset(labels))

    def labels(self) -> frozenset[str]:
        return self.root.labels()


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif text.startswith(("&&", "||"), pos):
            tokens.append((text[pos : pos + 2], "", pos))
            pos += 2
        elif char in "!()":
            tokens.append((char, "", pos))
            pos += 1
        elif char == '"':
            end = text.find('"', pos + 1)
            if end == -1:
                raise ConditionError("Aanhalingsteken wordt niet gesloten", text, pos)
            tokens.append(("string", text[pos + 1 : end], pos))
            pos = end + 1
        elif char.isalpha():
            end = pos
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            word = text[pos:end]
            if word not in ("in", "labels"):
                raise ConditionError(f"Onbekend woord {word!r}", text, pos)
            tokens.append((word, "", pos))
            pos = end
        else:
            raise ConditionError(f"Onbekend teken {char!r}", text, pos)
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> str:
        return self.tokens[self.index][0]

    def take(self, kind: str, message: str) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        if token[0] != kind:
            raise ConditionError(message, self.text, token[2])
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.peek() == "end":
            raise ConditionError("Lege voorwaarde", self.text, 0)
        node = self.parse_or()
        self.take("end", "Operator verwacht ('&&' of '||')")
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.peek() == "||":
            self.index += 1
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Any_(tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_unary()]
        while self.peek() == "&&":
            self.index += 1
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else All(tuple(operands))

    def parse_unary(self) -> Node:
        if self.peek() == "!":
            self.index += 1
            return Not(self.parse_unary())
        if self.peek() == "(":
            self.index += 1
            node = self.parse_or()
            self.take(")", "Haakje '(' wordt niet gesloten")
            return node
        _, label, _ = self.take("string", "Label tussen aanhalingstekens verwacht")
        self.take("in", "'in labels' verwacht na het label")
        self.take("labels", "'labels' verwacht na 'in'")
        return Has(label)


def parse_condition(text: str) -> Condition:
    """Parse one ``if`` condition; ConditionError when it is malformed."""
    if not isinstance(text, str):
        raise ConditionError(f"Voorwaarde moet tekst zijn, niet {type(text).__name__}", "", 0)
    return _parse(text)


@lru_cache(maxsize=512)
def _parse(text: str) -> Condition:
    return Condition(text, _Parser(text).parse())
