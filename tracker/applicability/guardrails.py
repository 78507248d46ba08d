"""Profile guardrails: combinations of AI Act labels the content cannot mean.

The Algoritmekader's labels come from the beslishulp AI-verordening, and the tree
never produces some combinations. The content relies on that: aia-20, aia-24 and
aia-25 (deployer obligations for a high-risk AI system) list only
``systeemrisico: niet-van-toepassing``, because systemic risk is a question the aid
asks about a general-purpose AI model only. A profile that says "Geen systeemrisico"
for an AI system silently loses them. ``problems()`` names every such combination
with a Dutch message saying why; the profile form refuses them.

The rules follow the tree (v1.2.23 and v1.2.24):

- systemic risk (question 2.8) is asked only for an AI-model voor algemene
  doeleinden: any other kind has "niet van toepassing", and such a model has one of
  the two answers;
- the risk group (questions 2.1–2.6) is asked for AI systems: an AI-systeem (also
  one voor algemene doeleinden) always has one; an AI-model voor algemene doeleinden
  never gets hoog-risico / geen hoog-risico / verboden;
- the transparency duty (2.9–2.10) is asked about AI systems, never about a model;
- an algorithm that is not an AI system carries no AI Act labels at all.
"""

from collections.abc import Mapping
from dataclasses import dataclass

NVT = "niet-van-toepassing"
GPAI_MODEL = "ai-model-voor-algemene-doeleinden"
AI_FIELDS = (
    "soort_toepassing",
    "risicogroep",
    "rol_ai_act",
    "transparantieverplichting",
    "systeemrisico",
    "open_source",
)


@dataclass(frozen=True)
class Problem:
    field: str  # the profile field the message belongs to
    message: str


def problems(values: Mapping) -> list[Problem]:
    """Every impossible combination in the profile values (Algorithm field names)."""
    if not values.get("is_ai_system"):
        filled = [name for name in AI_FIELDS if values.get(name)]
        if filled:
            return [
                Problem(
                    name,
                    "Dit algoritme is geen AI-systeem: AI-labels horen daar niet bij, want de "
                    "AI-verordening is dan niet van toepassing. Vink 'AI-systeem' aan of maak dit "
                    "veld leeg.",
                )
                for name in filled
            ]
        return []
    kind = values.get("soort_toepassing") or ""
    found: list[Problem] = []
    systemic = values.get("systeemrisico") or ""
    if kind and kind != GPAI_MODEL and systemic and systemic != NVT:
        found.append(
            Problem(
                "systeemrisico",
                "Systeemrisico gaat alleen over een AI-model voor algemene doeleinden; voor dit "
                "soort toepassing is het 'Niet van toepassing'. Met een andere keuze vervallen "
                "vereisten die de inhoud alleen bij 'niet van toepassing' toepast, zoals de "
                "plichten van een gebruiksverantwoordelijke van een hoog-risico-AI-systeem "
                "(aia-20, aia-24, aia-25).",
            )
        )
    if kind == GPAI_MODEL and systemic == NVT:
        found.append(
            Problem(
                "systeemrisico",
                "Voor een AI-model voor algemene doeleinden stelt de beslishulp vast of er een "
                "systeemrisico is: kies 'Systeemrisico' of 'Geen systeemrisico'.",
            )
        )
    group = values.get("risicogroep") or ""
    if kind and kind != GPAI_MODEL and group == NVT:
        found.append(
            Problem(
                "risicogroep",
                "Een AI-systeem valt altijd in een risicogroep (hoog risico, geen hoog risico, "
                "verboden, of een uitzondering); 'Niet van toepassing' geldt alleen voor een "
                "AI-model voor algemene doeleinden.",
            )
        )
    if kind == GPAI_MODEL and group in (
        "hoog-risico-ai-systeem",
        "geen-hoog-risico-ai-systeem",
        "verboden-ai",
    ):
        found.append(
            Problem(
                "risicogroep",
                "Een AI-model voor algemene doeleinden krijgt geen risicogroep: die hoort bij "
                "AI-systemen. Kies 'Niet van toepassing' of 'Uitzondering van toepassing'.",
            )
        )
    transparency = values.get("transparantieverplichting") or ""
    if kind == GPAI_MODEL and transparency and transparency != NVT:
        found.append(
            Problem(
                "transparantieverplichting",
                "De transparantieverplichting gaat over AI-systemen, niet over een AI-model voor "
                "algemene doeleinden: kies 'Niet van toepassing'.",
            )
        )
    return found
