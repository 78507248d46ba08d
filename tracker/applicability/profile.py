"""The AI profile of an algorithm: the facts that decide which vereisten apply.

An AI system is described on the six label dimensions of the Algoritmekader
(see ``labels.py``). An algorithm that is not an AI system leaves those blank:
for it only ``impactful`` is meaningful, and the AI Act does not apply.

``impactful`` (legal or significant effect on people) decides nothing in the
content's labels; it is carried here because the go-live gate needs it
(informing affected persons is mandatory for an impactful algorithm).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.applicability.labels import DIMENSIONS, Dimension, make_label


@dataclass(frozen=True)
class AIProfile:
    is_ai_system: bool
    soort_toepassing: str = ""
    risicogroep: str = ""
    rol_ai_act: frozenset[str] = field(default_factory=frozenset)
    transparantieverplichting: str = ""
    systeemrisico: str = ""
    open_source: str = ""
    impactful: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.rol_ai_act, frozenset):
            roles: Iterable[str] = (
                [self.rol_ai_act] if isinstance(self.rol_ai_act, str) else self.rol_ai_act
            )
            object.__setattr__(self, "rol_ai_act", frozenset(roles))
        for dim in DIMENSIONS:
            values = self.values(dim)
            unknown = sorted(values - dim.values)
            if unknown:
                raise ValueError(
                    f"{dim.slug}: unknown value(s) {', '.join(unknown)}; "
                    f"expected one of {', '.join(sorted(dim.values))}"
                )
            if self.is_ai_system and not values:
                raise ValueError(f"{dim.slug}: an AI system needs a value for this dimension")

    @classmethod
    def not_ai(cls, *, impactful: bool) -> "AIProfile":
        """The profile of an algorithm that is not an AI system."""
        return cls(is_ai_system=False, impactful=impactful)

    def values(self, dim: Dimension) -> frozenset[str]:
        """The profile's value(s) on a dimension, as a set (empty when blank)."""
        raw = getattr(self, dim.field)
        if isinstance(raw, frozenset):
            return raw
        return frozenset([raw]) if raw else frozenset()

    def to_labels(self) -> frozenset[str]:
        """Every ``<dimension>-<value>`` label the profile has (one per role)."""
        return frozenset(
            make_label(dim.slug, value) for dim in DIMENSIONS for value in self.values(dim)
        )
