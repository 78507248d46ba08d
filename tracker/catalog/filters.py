"""The catalog list's filter form: validates and normalises the GET query.

The choices depend on the selected release (its phases, topics, roles and laws), so
the form settles the release first and builds the other choices from it. A bad value
never breaks the page: the field gets an error and the list ignores it.
"""

from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from tracker.catalog.models import CatalogItem, CatalogItemQuerySet, ContentRelease, Taxon
from tracker.catalog.phases import Phase

DEFAULT_PHASE = Phase.IMPLEMENTATIE.value

# What the list shows per kind filter value; "" shows vereisten and maatregelen together.
KIND_CHOICES = [
    ("", "Vereisten en maatregelen"),
    (CatalogItem.Kind.REQUIREMENT, "Vereisten"),
    (CatalogItem.Kind.MEASURE, "Maatregelen"),
    (CatalogItem.Kind.INSTRUMENT, "Hulpmiddelen"),
]
SECTION_KINDS = {
    "": [CatalogItem.Kind.REQUIREMENT, CatalogItem.Kind.MEASURE],
    CatalogItem.Kind.REQUIREMENT: [CatalogItem.Kind.REQUIREMENT],
    CatalogItem.Kind.MEASURE: [CatalogItem.Kind.MEASURE],
    CatalogItem.Kind.INSTRUMENT: [CatalogItem.Kind.INSTRUMENT],
}


FILTERS = ("kind", "phase", "topic", "role", "law", "q")


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, shown above the results with a link that clears it."""

    label: str  # e.g. "Levenscyclusfase"
    value: str  # e.g. "Implementatie"
    clear_query: str  # the query string of the list without this filter
    default: bool = False  # set by the page, not by the user


def releases() -> list[ContentRelease]:
    """The Algoritmekader releases a user can browse, newest first."""
    return list(ContentRelease.objects.filter(kind=ContentRelease.Source.ALGORITMEKADER))


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"})


class CatalogFilterForm(forms.Form):
    release = forms.ChoiceField(label="Release", required=False, widget=_select())
    kind = forms.ChoiceField(label="Soort", choices=KIND_CHOICES, required=False, widget=_select())
    phase = forms.ChoiceField(label="Levenscyclusfase", required=False, widget=_select())
    topic = forms.ChoiceField(label="Onderwerp", required=False, widget=_select())
    role = forms.ChoiceField(label="Rol", required=False, widget=_select())
    law = forms.ChoiceField(
        label="Wet",
        required=False,
        widget=_select(),
        help_text="Vereisten uit deze wet, en de maatregelen en hulpmiddelen daarbij.",
    )
    q = forms.CharField(
        label="Zoeken",
        max_length=200,
        required=False,
        strip=True,
        widget=forms.SearchInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "off"}
        ),
    )

    def __init__(self, data: QueryDict) -> None:
        available = releases()
        self.selected_release = _pick_release(available, data.get("release", ""))
        data = data.copy()
        if self.selected_release:
            data.setdefault("release", self.selected_release.label)
        taxa = list(self.selected_release.taxa.all()) if self.selected_release else []
        phases = [t for t in taxa if t.kind == Taxon.Kind.PHASE]
        self.default_phase = "phase" not in data and any(t.slug == DEFAULT_PHASE for t in phases)
        if self.default_phase:
            data["phase"] = DEFAULT_PHASE
        super().__init__(data)
        self.fields["release"].choices = [(r.label, r.label) for r in available]
        self.fields["phase"].choices = _taxon_choices("Alle fasen", phases)
        self.fields["topic"].choices = _taxon_choices(
            "Alle onderwerpen", [t for t in taxa if t.kind == Taxon.Kind.TOPIC]
        )
        self.fields["role"].choices = _taxon_choices(
            "Alle rollen", [t for t in taxa if t.kind == Taxon.Kind.ROLE]
        )
        laws = list(self.selected_release.laws.all()) if self.selected_release else []
        self.fields["law"].choices = [("", "Alle wetten")] + [(law.code, str(law)) for law in laws]
        self.is_valid()  # fills cleaned_data with the valid fields and errors for the rest

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def value(self, name: str) -> str:
        """The cleaned value of a field, or "" when it was missing or invalid."""
        return self.cleaned_data.get(name, "") if hasattr(self, "cleaned_data") else ""

    @property
    def active_filters(self) -> list[ActiveFilter]:
        """The valid filters in force, in form order, each with the query that clears it
        (an empty value, so that the default phase does not come back)."""
        active = []
        for name in FILTERS:
            value = self.value(name)
            if not value:
                continue
            field = self.fields[name]
            shown = dict(field.choices).get(value, value) if name != "q" else f"“{value}”"
            query = self.data.copy()
            query[name] = ""
            active.append(
                ActiveFilter(
                    label=str(field.label),
                    value=str(shown),
                    clear_query=query.urlencode(),
                    default=name == "phase" and self.default_phase,
                )
            )
        return active

    @property
    def section_kinds(self) -> list[str]:
        return SECTION_KINDS[self.value("kind")]

    def apply(self, items: CatalogItemQuerySet, kind: str) -> CatalogItemQuerySet:
        """Narrow the items of one section (one kind) by the valid filters."""
        if phase := self.value("phase"):
            items = items.in_phase(phase)
        if topic := self.value("topic"):
            items = items.about(topic)
        if role := self.value("role"):
            items = items.for_role(role)
        if law := self.value("law"):
            if kind == CatalogItem.Kind.REQUIREMENT:
                items = items.under_law(law)
            else:
                items = items.linked_to_law(law)
        if q := self.value("q"):
            items = items.search(q)
        return items


def _pick_release(available: list[ContentRelease], label: str) -> ContentRelease | None:
    """The release named in the query, else the latest (an unknown label shows an error)."""
    for release in available:
        if release.label == label:
            return release
    return available[0] if available else None


def _taxon_choices(empty_label: str, taxa: list[Taxon]) -> list[tuple[str, str]]:
    return [("", empty_label)] + [(taxon.slug, taxon.title) for taxon in taxa]
