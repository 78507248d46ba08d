"""From the aid's labels to the Algoritmekader's labels and an AI profile.

The mapping is the Algoritmekader's own filter (``docs/javascripts/modal.js``
upstream; ../shared/beslishulp/README.md): aid group + label -> ``<dimension>-<value>``.
Label spellings differ (``"hoog-risico AI"`` vs ``hoog-risico-ai-systeem``): we map,
never compare raw strings. A group that got no label by the conclusion counts as
"niet van toepassing" (upstream's rule). Operationeel and
Conformiteitsbeoordelingsinstantie have no counterpart in the content.
"""

from collections.abc import Iterable

from tracker.applicability.labels import DIMENSIONS_BY_SLUG, make_label
from tracker.applicability.profile import AIProfile

NOT_APPLICABLE = "niet-van-toepassing"

# aid group -> (Algoritmekader dimension, {aid label: value})
MAPPING: dict[str, tuple[str, dict[str, str]]] = {
    "Risicogroep": (
        "risicogroep",
        {
            "hoog-risico AI": "hoog-risico-ai-systeem",
            "geen hoog-risico AI": "geen-hoog-risico-ai-systeem",
            "verboden AI": "verboden-ai",
            "uitzondering van toepassing": "uitzondering-van-toepassing",
            "niet van toepassing": NOT_APPLICABLE,
        },
    ),
    "Verantwoordelijkheid": (
        "rol-ai-act",
        {
            "aanbieder": "aanbieder",
            "gebruiksverantwoordelijke": "gebruiksverantwoordelijke",
            "importeur": "importeur",
            "distributeur": "distributeur",
        },
    ),
    "Soort toepassing": (
        "soort-toepassing",
        {
            "AI-systeem": "ai-systeem",
            "AI-systeem voor algemene doeleinden": "ai-systeem-voor-algemene-doeleinden",
            "AI-model voor algemene doeleinden": "ai-model-voor-algemene-doeleinden",
            "geen algoritme": "geen-algoritme",
        },
    ),
    "Transparantieverplichting": (
        "transparantieverplichting",
        {
            "transparantieverplichting": "transparantieverplichting",
            "geen transparantieverplichting": "geen-transparantieverplichting",
            "niet van toepassing": NOT_APPLICABLE,
        },
    ),
    "Systeemrisico": (
        "systeemrisico",
        {
            "systeemrisico": "systeemrisico",
            "geen systeemrisico": "geen-systeemrisico",
            "niet van toepassing": NOT_APPLICABLE,
        },
    ),
    "Open source": (
        "open-source",
        {
            "open-source": "open-source",
            "geen open-source": "geen-open-source",
            "niet van toepassing": NOT_APPLICABLE,
        },
    ),
}
# Groups whose "nothing collected" is "niet van toepassing".
DEFAULTED = ("risicogroep", "transparantieverplichting", "systeemrisico", "open-source")
AI_KINDS = {
    "ai-systeem",
    "ai-systeem-voor-algemene-doeleinden",
    "ai-model-voor-algemene-doeleinden",
}


def dimension_values(labels: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The Algoritmekader values per dimension from (group, label) pairs, in order;
    unmapped groups (Operationeel, ...) are left out; defaults filled in."""
    values: dict[str, list[str]] = {}
    for group, label in labels:
        if group not in MAPPING:
            continue
        dimension, names = MAPPING[group]
        value = names.get(label)
        if value is not None and value not in values.setdefault(dimension, []):
            values[dimension].append(value)
    for dimension in DEFAULTED:
        values.setdefault(dimension, [NOT_APPLICABLE])
    return values


def content_labels(labels: Iterable[tuple[str, str]]) -> list[str]:
    """The Algoritmekader's ``<dimension>-<value>`` labels of a walk."""
    return [
        make_label(dimension, value)
        for dimension, found in dimension_values(labels).items()
        for value in found
    ]


def profile_values(labels: Iterable[tuple[str, str]], *, impactful: bool) -> dict:
    """Algorithm field values for the walk's profile (``is_ai_system`` and the six
    dimensions); not an AI system when no AI kind was found."""
    values = dimension_values(labels)
    kinds = [v for v in values.get("soort-toepassing", []) if v in AI_KINDS]
    fields = {dim.field: ([] if dim.multiple else "") for dim in DIMENSIONS_BY_SLUG.values()}
    fields["impactful"] = impactful
    if not kinds:
        return {"is_ai_system": False, **fields}
    fields["is_ai_system"] = True
    for slug, dim in DIMENSIONS_BY_SLUG.items():
        found = values.get(slug, [])
        if slug == "soort-toepassing":
            found = kinds
        fields[dim.field] = sorted(found) if dim.multiple else (found[-1] if found else "")
    return fields


def to_profile(fields: dict) -> AIProfile:
    if not fields["is_ai_system"]:
        return AIProfile.not_ai(impactful=fields["impactful"])
    values = {dim.field: fields[dim.field] for dim in DIMENSIONS_BY_SLUG.values()}
    values["rol_ai_act"] = frozenset(values["rol_ai_act"])
    return AIProfile(is_ai_system=True, impactful=fields["impactful"], **values)
