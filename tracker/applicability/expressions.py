"""A small, safe parser for the ``uitzondering`` entries of a vereiste.

Upstream evaluates these strings with JavaScript ``eval``; we parse them.

Syntax that occurs in the real content (v2.5.1; v2.0 has no ``uitzondering`` at all):

45 entries in v2.5.1, of two distinct texts:

- a bare label, ``risicogroep-uitzondering-van-toepassing``, on all 39 vereisten
  aia-01 .. aia-39;
- one boolean expression (the AI Act's open-source exemption), on six vereisten
  (aia-01, -02, -28, -33, -36, -37)::

      ("soort-toepassing-ai-systeem-voor-algemene-doeleinden" || "soort-toepassing-ai-systeem")
      && "open-source-open-source" && "transparantieverplichting-geen-transparantieverplichting"
      && "risicogroep-geen-hoog-risico-ai-systeem"

  i.e. double-quoted labels, ``&&``, ``||`` and parentheses. ``!`` does not occur but
  is supported.

Grammar (``!`` binds tightest, then ``&&``, then ``||``)::

    expression := or
    or         := and ("||" and)*
    and        := unary ("&&" unary)*
    unary      := "!" unary | primary
    primary    := "(" or ")" | LABEL | '"' LABEL '"'
    LABEL      := [a-z0-9-]+   (compared in lower case)

Label names: every label must start with a known dimension (``risicogroep-``,
``open-source-``, ...), or parsing fails. A label of a known dimension with a value
we do not know (say a future ``risicogroep-beperkt-risico``) is accepted: it is true
for no profile today, as it would be upstream, and ``Expression.unknown_labels()``
lists it so that an importer can warn. ``parse(text, strict=True)`` rejects it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.applicability.labels import is_known_label, label_name, split_label


class ExpressionError(ValueError):
    """A malformed ``uitzondering`` expression, with the position of the problem."""

    def __init__(self, message: str, text: str, position: int) -> None:
        self.message = message
        self.text = text
        self.position = position
        super().__init__(f"{message} (positie {position + 1} in {text!r})")


# --- the syntax tree -------------------------------------------------------


@dataclass(frozen=True)
class Label:
    name: str

    def evaluate(self, labels: frozenset[str] | set[str]) -> bool:
        return self.name in labels

    def labels(self) -> frozenset[str]:
        return frozenset([self.name])

    def describe(self) -> str:
        return label_name(self.name)

    def __str__(self) -> str:
        return f'"{self.name}"'


@dataclass(frozen=True)
class Not:
    operand: "Node"

    def evaluate(self, labels: frozenset[str] | set[str]) -> bool:
        return not self.operand.evaluate(labels)

    def labels(self) -> frozenset[str]:
        return self.operand.labels()

    def describe(self) -> str:
        return f"niet {_wrap(self.operand, self.operand.describe())}"

    def __str__(self) -> str:
        return f"!{_wrap(self.operand, str(self.operand))}"


@dataclass(frozen=True)
class And:
    operands: tuple["Node", ...]

    def evaluate(self, labels: frozenset[str] | set[str]) -> bool:
        return all(op.evaluate(labels) for op in self.operands)

    def labels(self) -> frozenset[str]:
        return frozenset().union(*(op.labels() for op in self.operands))

    def describe(self) -> str:
        return " en ".join(_wrap(op, op.describe(), Or) for op in self.operands)

    def __str__(self) -> str:
        return " && ".join(_wrap(op, str(op), Or) for op in self.operands)


@dataclass(frozen=True)
class Or:
    operands: tuple["Node", ...]

    def evaluate(self, labels: frozenset[str] | set[str]) -> bool:
        return any(op.evaluate(labels) for op in self.operands)

    def labels(self) -> frozenset[str]:
        return frozenset().union(*(op.labels() for op in self.operands))

    def describe(self) -> str:
        return " of ".join(op.describe() for op in self.operands)

    def __str__(self) -> str:
        return " || ".join(str(op) for op in self.operands)


Node = Label | Not | And | Or


def _wrap(node: Node, text: str, *needs_parens: type) -> str:
    kinds = needs_parens or (And, Or)
    return f"({text})" if isinstance(node, kinds) else text


@dataclass(frozen=True)
class Expression:
    """A parsed ``uitzondering`` entry."""

    text: str
    root: Node

    def evaluate(self, labels: frozenset[str] | set[str]) -> bool:
        """True when the profile with these labels falls under the exception."""
        return self.root.evaluate(labels)

    def labels(self) -> frozenset[str]:
        return self.root.labels()

    def unknown_labels(self) -> frozenset[str]:
        """Labels of a known dimension whose value is not known to us."""
        return frozenset(name for name in self.labels() if not is_known_label(name))

    def describe(self) -> str:
        """The expression in Dutch, e.g. "Open source: Open source en ..."."""
        return self.root.describe()

    def __str__(self) -> str:
        return str(self.root)


# --- tokenizer ---------------------------------------------------------------

_LABEL_CHARS = re.compile(r"[A-Za-z0-9-]+")


@dataclass(frozen=True)
class _Token:
    kind: str  # "label", "&&", "||", "!", "(", ")", "end"
    value: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif text.startswith(("&&", "||"), pos):
            tokens.append(_Token(text[pos : pos + 2], text[pos : pos + 2], pos))
            pos += 2
        elif char in "&|":
            raise ExpressionError(f"Onbekend teken {char!r}: gebruik '{char * 2}'", text, pos)
        elif char in "!()":
            tokens.append(_Token(char, char, pos))
            pos += 1
        elif char == '"':
            end = text.find('"', pos + 1)
            if end == -1:
                raise ExpressionError("Aanhalingsteken wordt niet gesloten", text, pos)
            inner = text[pos + 1 : end]
            if not inner:
                raise ExpressionError("Leeg label tussen aanhalingstekens", text, pos)
            if not _LABEL_CHARS.fullmatch(inner):
                raise ExpressionError(
                    f"Ongeldig label {inner!r}: alleen letters, cijfers en '-'", text, pos
                )
            tokens.append(_Token("label", inner.lower(), pos))
            pos = end + 1
        else:
            match = _LABEL_CHARS.match(text, pos)
            if match is None:
                raise ExpressionError(f"Onbekend teken {char!r}", text, pos)
            tokens.append(_Token("label", match.group().lower(), pos))
            pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# --- recursive-descent parser -------------------------------------------------


class _Parser:
    def __init__(self, text: str, *, strict: bool) -> None:
        self.text = text
        self.strict = strict
        self.tokens = _tokenize(text)
        self.index = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def error(self, message: str, token: _Token | None = None) -> ExpressionError:
        return ExpressionError(message, self.text, (token or self.current).position)

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise self.error("Lege uitdrukking")
        node = self.parse_or()
        token = self.current
        if token.kind == ")":
            raise self.error("Haakje ')' zonder bijbehorend '('")
        if token.kind != "end":
            raise self.error(f"Operator verwacht ('&&' of '||') voor {token.value!r}")
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.current.kind == "||":
            self.advance()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_unary()]
        while self.current.kind == "&&":
            self.advance()
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self) -> Node:
        if self.current.kind == "!":
            self.advance()
            return Not(self.parse_unary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.current
        if token.kind == "(":
            self.advance()
            if self.current.kind == ")":
                raise self.error("Lege haakjes '()'")
            node = self.parse_or()
            if self.current.kind != ")":
                raise self.error("Haakje '(' wordt niet gesloten", token)
            self.advance()
            return node
        if token.kind == "label":
            self.advance()
            return self.make_label(token)
        if token.kind == "end":
            previous = self.tokens[self.index - 1] if self.index else token
            raise self.error(f"Na {previous.value!r} ontbreekt een label", previous)
        if token.kind == ")":
            raise self.error("Label verwacht, maar ')' gevonden")
        raise self.error(f"Label verwacht, maar operator {token.value!r} gevonden")

    def make_label(self, token: _Token) -> Label:
        if split_label(token.value) is None:
            raise self.error(
                f"Onbekend label {token.value!r}: het begint niet met een bekende dimensie",
                token,
            )
        if self.strict and not is_known_label(token.value):
            raise self.error(f"Onbekende waarde in label {token.value!r}", token)
        return Label(token.value)


def parse(text: str, *, strict: bool = False) -> Expression:
    """Parse one ``uitzondering`` entry; ExpressionError when it is malformed."""
    if not isinstance(text, str):
        raise ExpressionError(f"Uitdrukking moet tekst zijn, niet {type(text).__name__}", "", 0)
    return _parse(text, strict)


@lru_cache(maxsize=256)
def _parse(text: str, strict: bool) -> Expression:
    return Expression(text, _Parser(text, strict=strict).parse())
