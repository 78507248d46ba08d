"""The register entry's state in a few words, for the algorithm page, the portfolio and
the dossier, without computing the prefill (the state is kept on the entry)."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from tracker.register.models import RegisterEntry, RegisterStandard


class State:
    NONE = "none"
    DRAFT = "draft"
    INCOMPLETE = "incomplete"
    CURRENT = "current"
    CHANGED = "changed"


LABELS = {
    State.NONE: "Nog niet ingevuld",
    State.DRAFT: "Volledig, nog niet geëxporteerd",
    State.INCOMPLETE: "Nog niet volledig",
    State.CURRENT: "Geëxporteerd en actueel",
    State.CHANGED: "Gewijzigd sinds export",
}
BADGES = {
    State.NONE: "open",
    State.DRAFT: "in_progress",
    State.INCOMPLETE: "open",
    State.CURRENT: "current",
    State.CHANGED: "expired",
}


def state_of(entry: RegisterEntry | None) -> str:
    if entry is None:
        return State.NONE
    if entry.changed_since_export:
        return State.CHANGED
    if entry.export_current:
        return State.CURRENT
    return State.DRAFT if entry.is_complete else State.INCOMPLETE


def field_titles(names, standard: RegisterStandard | None) -> list[str]:
    """The standard's titles of these field names (the name where unknown)."""
    if standard is None:
        return list(names)
    titles = {one.name: one.title for one in standard.standard.fields}
    return [titles.get(name, name) for name in names]


@dataclass(frozen=True)
class RegisterStatus:
    state: str
    changed_titles: list[str]
    exported_at: datetime | None
    url: str

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def badge(self) -> str:
        return BADGES[self.state]

    @property
    def changed(self) -> bool:
        return self.state == State.CHANGED


def register_status(algorithm) -> RegisterStatus:
    """The state of the algorithm's entry (one query, two when it changed)."""
    entry = (
        RegisterEntry.objects.select_related("last_export", "standard")
        .filter(algorithm=algorithm)
        .first()
    )
    state = state_of(entry)
    return RegisterStatus(
        state=state,
        changed_titles=field_titles(entry.changed_fields, entry.standard) if entry else [],
        exported_at=entry.last_export.exported_at if entry and entry.last_export else None,
        url=reverse("register:entry", args=[algorithm.slug]),
    )
