"""The AI Act label dimensions of the Algoritmekader and their Dutch names.

A vereiste lists, per dimension, the values of an AI profile it is meant for
(front matter keys such as ``risicogroep: [hoog-risico-ai-systeem]``). The
dimensions and values below are every one that occurs in the front matter of
releases v2.0 and v2.5.1. A *label* is ``<dimension>-<value>``, e.g.
``open-source-open-source`` or ``rol-ai-act-gebruiksverantwoordelijke``: the
form the ``uitzondering`` expressions use.

The ``choices`` tuples are usable as Django form choices as they are.
"""

from dataclasses import dataclass

Choices = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Dimension:
    """One label dimension: its front-matter key, Dutch name and allowed values."""

    slug: str
    name: str
    field: str  # the AIProfile attribute that holds the profile's value
    choices: Choices
    multiple: bool = False  # the profile may hold several values (rol-ai-act)

    @property
    def values(self) -> frozenset[str]:
        return frozenset(value for value, _ in self.choices)

    def value_name(self, value: str) -> str:
        """The Dutch name of a value; an unknown value is shown as it is."""
        return dict(self.choices).get(value, value)


NIET_VAN_TOEPASSING = ("niet-van-toepassing", "Niet van toepassing")

SOORT_TOEPASSING_CHOICES: Choices = (
    ("ai-systeem", "AI-systeem"),
    ("ai-systeem-voor-algemene-doeleinden", "AI-systeem voor algemene doeleinden"),
    ("ai-model-voor-algemene-doeleinden", "AI-model voor algemene doeleinden"),
)
RISICOGROEP_CHOICES: Choices = (
    ("hoog-risico-ai-systeem", "Hoog-risico-AI-systeem"),
    ("geen-hoog-risico-ai-systeem", "Geen hoog-risico-AI-systeem"),
    ("verboden-ai", "Verboden AI-praktijk"),
    ("uitzondering-van-toepassing", "Uitzondering van toepassing"),
    NIET_VAN_TOEPASSING,
)
ROL_AI_ACT_CHOICES: Choices = (
    ("aanbieder", "Aanbieder"),
    ("gebruiksverantwoordelijke", "Gebruiksverantwoordelijke"),
    ("importeur", "Importeur"),
    ("distributeur", "Distributeur"),
)
TRANSPARANTIEVERPLICHTING_CHOICES: Choices = (
    ("transparantieverplichting", "Transparantieverplichting"),
    ("geen-transparantieverplichting", "Geen transparantieverplichting"),
    NIET_VAN_TOEPASSING,
)
SYSTEEMRISICO_CHOICES: Choices = (
    ("systeemrisico", "Systeemrisico"),
    ("geen-systeemrisico", "Geen systeemrisico"),
    NIET_VAN_TOEPASSING,
)
OPEN_SOURCE_CHOICES: Choices = (
    ("open-source", "Open source"),
    ("geen-open-source", "Geen open source"),
    NIET_VAN_TOEPASSING,
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("soort-toepassing", "Soort toepassing", "soort_toepassing", SOORT_TOEPASSING_CHOICES),
    Dimension("risicogroep", "Risicogroep", "risicogroep", RISICOGROEP_CHOICES),
    Dimension(
        "rol-ai-act",
        "Rol onder de AI-verordening",
        "rol_ai_act",
        ROL_AI_ACT_CHOICES,
        multiple=True,
    ),
    Dimension(
        "transparantieverplichting",
        "Transparantieverplichting",
        "transparantieverplichting",
        TRANSPARANTIEVERPLICHTING_CHOICES,
    ),
    Dimension("systeemrisico", "Systeemrisico", "systeemrisico", SYSTEEMRISICO_CHOICES),
    Dimension("open-source", "Open source", "open_source", OPEN_SOURCE_CHOICES),
)
DIMENSIONS_BY_SLUG: dict[str, Dimension] = {d.slug: d for d in DIMENSIONS}

# Form choices for the dimensions themselves.
DIMENSION_CHOICES: Choices = tuple((d.slug, d.name) for d in DIMENSIONS)

# Releases before v2.5 (v2.0) wrote the risk class of most AI Act vereisten under
# this key, with the same values as ``risicogroep``.
LEGACY_DIMENSION_ALIASES: dict[str, str] = {"publicatiecategorie": "risicogroep"}


def dimension(slug: str) -> Dimension:
    """The dimension with this front-matter key; KeyError for an unknown one."""
    return DIMENSIONS_BY_SLUG[slug]


def dimension_name(slug: str) -> str:
    known = DIMENSIONS_BY_SLUG.get(slug)
    return known.name if known else slug


def value_name(dimension_slug: str, value: str) -> str:
    known = DIMENSIONS_BY_SLUG.get(dimension_slug)
    return known.value_name(value) if known else value


def make_label(dimension_slug: str, value: str) -> str:
    return f"{dimension_slug}-{value}"


def split_label(label: str) -> tuple[str, str] | None:
    """Split ``<dimension>-<value>`` into its parts, or None if no dimension fits.

    The longest dimension that prefixes the label wins, so that a dimension whose
    name contains a hyphen (``rol-ai-act``, ``open-source``) is found whole.
    """
    for slug in sorted(DIMENSIONS_BY_SLUG, key=len, reverse=True):
        prefix = f"{slug}-"
        if label.startswith(prefix) and len(label) > len(prefix):
            return slug, label[len(prefix) :]
    return None


def is_known_label(label: str) -> bool:
    parts = split_label(label)
    return parts is not None and parts[1] in DIMENSIONS_BY_SLUG[parts[0]].values


def label_name(label: str) -> str:
    """Readable Dutch name of a label, e.g. "Risicogroep: Hoog-risico-AI-systeem"."""
    parts = split_label(label)
    if parts is None:
        return label
    slug, value = parts
    return f"{dimension_name(slug)}: {value_name(slug, value)}"
