"""Applicability: which vereisten and maatregelen apply to an algorithm, and why.

Pure domain code on plain data (no models, no database):

- ``profile``: ``AIProfile``, the facts about an algorithm that decide it;
- ``labels``: the AI Act label dimensions, their values and Dutch names;
- ``expressions``: a safe parser for the ``uitzondering`` entries;
- ``rules``: verdicts with reasons, and ``checklist_for`` for one phase;
- ``items``: plain items built from front matter.
"""

from tracker.applicability.expressions import Expression, ExpressionError, parse
from tracker.applicability.profile import AIProfile
from tracker.applicability.rules import (
    ApplicableItem,
    Reason,
    ReasonCode,
    Verdict,
    checklist_for,
    measure_verdict,
    requirement_verdict,
    requirement_verdicts,
)

__all__ = [
    "AIProfile",
    "ApplicableItem",
    "Expression",
    "ExpressionError",
    "Reason",
    "ReasonCode",
    "Verdict",
    "checklist_for",
    "measure_verdict",
    "parse",
    "requirement_verdict",
    "requirement_verdicts",
]
