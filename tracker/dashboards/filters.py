"""The GET filters and sort order of the portfolio and the risk pages: small forms that
validate and normalise the query string. Invalid values are ignored (and shown as
the field's error), never a 500.

Filters on an algorithm's own fields narrow the queryset; those on figures (has
blockers, in pilot without a decision) narrow the computed rows.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower

from tracker.algorithms.models import Algorithm
from tracker.applicability.labels import RISICOGROEP_CHOICES
from tracker.catalog.phases import PHASE_ORDER, Phase
from tracker.checklist.forms import SELECT, TEXTBOX
from tracker.dashboards.portfolio import PortfolioRow
from tracker.organisations.models import Organisation

YES, NO = "ja", "nee"
YES_NO = [("", "Alle"), (YES, "Ja"), (NO, "Nee")]
NO_RISK_GROUP = "geen"

# sort key -> (column title, value of a row); None sorts last in either direction.
SORTS = {
    "naam": ("Algoritme", lambda row: row.algorithm.name.lower()),
    "organisatie": ("Organisatie", lambda row: row.algorithm.organisation.name.lower()),
    "fase": ("Fase en stap", lambda row: (row.phase_index, row.algorithm.stage)),
    "release": ("Release", lambda row: row.algorithm.release.version_key),
    "gereed": ("Gereed", lambda row: (row.progress.percent_ready, row.progress.total)),
    "vereisten": (
        "Vereisten gereed",
        lambda row: (row.requirements.percent_ready, row.requirements.total),
    ),
    "blokkades": ("Blokkades go-live", lambda row: row.blockers),
    "te-laat": ("Te laat", lambda row: row.overdue),
    "risicos": ("Restrisico's open", lambda row: row.unaccepted_risks),
    "besluit": (
        "Laatste besluit",
        lambda row: row.last_decision.decided_at if row.last_decision else None,
    ),
    "pilot": ("Dagen in pilot", lambda row: row.days_in_pilot),
}
DEFAULT_SORT = "naam"
PHASE_RANK = Case(
    *(When(phase=phase, then=Value(n)) for n, phase in enumerate(PHASE_ORDER)),
    default=Value(len(PHASE_ORDER)),
    output_field=IntegerField(),
)
# The sorts the database can do itself (on an algorithm's own fields), as SORTS orders.
DB_SORTS = {
    "naam": (Lower("name"),),
    "organisatie": (Lower("organisation__name"),),
    "fase": (PHASE_RANK, "stage"),
    "release": ("release__version_key",),
}
OLDER, NEWEST = "ouder", "nieuwste"


def _select(choices, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=choices, widget=forms.Select(SELECT)
    )


class AlgorithmFilterForm(forms.Form):
    """Filters on the algorithms' own fields (shared by the portfolio and risk pages)."""

    organisatie = _select([], "Organisatie")
    fase = _select([("", "Alle fasen"), *Phase.choices], "Fase")
    stap = _select([("", "Alle stappen"), ("pilot", "Pilot"), ("production", "Productie")], "Stap")
    risicogroep = _select(
        [("", "Alle risicogroepen"), *RISICOGROEP_CHOICES, (NO_RISK_GROUP, "Geen AI-systeem")],
        "Risicogroep",
    )
    impactvol = _select(YES_NO, "Impactvol")
    release = _select(
        [
            ("", "Alle releases"),
            (OLDER, "Op een oudere release"),
            (NEWEST, "Op de nieuwste release"),
        ],
        "Release van het Algoritmekader",
    )

    DB_FIELDS = ("organisatie", "fase", "stap", "risicogroep", "impactvol", "release")
    ROW_FIELDS: tuple[str, ...] = ()

    def __init__(self, data, *, organisations: list[Organisation]):
        super().__init__(data)
        self.fields["organisatie"].choices = [
            ("", "Alle organisaties"),
            *((organisation.slug, organisation.name) for organisation in organisations),
        ]
        self.is_valid()  # fills cleaned_data with the valid fields; errors stay shown

    def value(self, name: str):
        """The cleaned value of a filter, or empty when it was invalid or absent."""
        value = self.cleaned_data.get(name)
        return "" if value is None else value

    @property
    def is_filtered(self) -> bool:
        return any(self.value(name) not in ("", None) for name in self.DB_FIELDS + self.ROW_FIELDS)

    def apply(self, algorithms: QuerySet) -> QuerySet:
        if organisation := self.value("organisatie"):
            algorithms = algorithms.filter(organisation__slug=organisation)
        if phase := self.value("fase"):
            algorithms = algorithms.filter(phase=phase)
        if stage := self.value("stap"):
            algorithms = algorithms.filter(stage=stage)
        if group := self.value("risicogroep"):
            if group == NO_RISK_GROUP:
                algorithms = algorithms.filter(is_ai_system=False)
            else:
                algorithms = algorithms.filter(is_ai_system=True, risicogroep=group)
        if impactful := self.value("impactvol"):
            algorithms = algorithms.filter(impactful=impactful == YES)
        if release := self.value("release"):
            older = algorithms.on_older_release()
            algorithms = (
                older if release == OLDER else algorithms.exclude(pk__in=older.values("pk"))
            )
        return algorithms

    def params(self, **overrides) -> dict[str, str]:
        """The valid filters as query parameters (overrides win; None drops a key)."""
        params = {}
        for name in self.fields:
            value = self.value(name)
            if value not in ("", None):
                params[name] = str(value)
        for name, value in overrides.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = str(value)
        return params

    def query(self, **overrides) -> str:
        params = self.params(**overrides)
        return "?" + urlencode(params) if params else ""


REGISTER_CHANGED, REGISTER_CURRENT, REGISTER_NOT_EXPORTED = (
    "gewijzigd",
    "actueel",
    "niet-geexporteerd",
)


class PortfolioFilterForm(AlgorithmFilterForm):
    blokkades = _select(YES_NO, "Blokkades voor go-live")
    algoritmeregister = _select(
        [
            ("", "Alle"),
            (REGISTER_CHANGED, "Gewijzigd sinds export"),
            (REGISTER_CURRENT, "Geëxporteerd en actueel"),
            (REGISTER_NOT_EXPORTED, "Nog niet geëxporteerd"),
        ],
        "Algoritmeregister",
    )
    pilot_dagen = forms.IntegerField(
        label="In pilot zonder besluit, langer dan (dagen)",
        required=False,
        min_value=0,
        max_value=10_000,
        widget=forms.NumberInput({**TEXTBOX, "inputmode": "numeric"}),
    )
    sorteer = forms.ChoiceField(
        label="Sorteren",
        required=False,
        choices=[(key, title) for key, (title, _) in SORTS.items()]
        + [(f"-{key}", f"{title} (aflopend)") for key, (title, _) in SORTS.items()],
        widget=forms.Select(SELECT),
    )

    DB_FIELDS = (*AlgorithmFilterForm.DB_FIELDS, "algoritmeregister")
    ROW_FIELDS = ("blokkades", "pilot_dagen")

    def apply(self, algorithms: QuerySet) -> QuerySet:
        algorithms = super().apply(algorithms)
        register = self.value("algoritmeregister")
        if register == REGISTER_CHANGED:
            algorithms = algorithms.filter(register_entry__changed_since_export=True)
        elif register == REGISTER_CURRENT:
            algorithms = algorithms.filter(register_entry__export_current=True)
        elif register == REGISTER_NOT_EXPORTED:
            algorithms = algorithms.exclude(register_entry__last_export__isnull=False)
        return algorithms

    def filter_rows(self, rows: list[PortfolioRow]) -> list[PortfolioRow]:
        if blockers := self.value("blokkades"):
            rows = [row for row in rows if bool(row.blockers) == (blockers == YES)]
        days = self.cleaned_data.get("pilot_dagen")
        if days is not None:
            rows = [row for row in rows if row.pilot_undecided_for_more_than(days)]
        return rows

    @property
    def sort(self) -> str:
        return self.value("sorteer") or DEFAULT_SORT

    @property
    def needs_all_figures(self) -> bool:
        """Whether the figures of every algorithm are needed to filter or sort."""
        return self.sort.lstrip("-") not in DB_SORTS or any(
            self.value(name) not in ("", None) for name in self.ROW_FIELDS
        )

    def db_order(self) -> list:
        """The database ordering of a sort in DB_SORTS; ties by name."""
        key = self.sort.lstrip("-")
        descending = self.sort.startswith("-")
        parts = [part if hasattr(part, "desc") else F(part) for part in DB_SORTS[key]]
        return [part.desc() if descending else part.asc() for part in parts] + [
            Lower("name"),
            "pk",
        ]

    def sort_rows(self, rows: list[PortfolioRow]) -> list[PortfolioRow]:
        """Sorted by the chosen column, then by name; empty values last."""
        key = self.sort.lstrip("-")
        descending = self.sort.startswith("-")
        value = SORTS[key][1]
        rows = sorted(rows, key=lambda row: row.algorithm.name.lower())
        present = [row for row in rows if value(row) is not None]
        missing = [row for row in rows if value(row) is None]
        return sorted(present, key=value, reverse=descending) + missing

    def columns(self) -> list[dict]:
        """Column headers with the link that sorts by them (toggling the direction)."""
        columns = []
        for key, (title, _) in SORTS.items():
            active = self.sort.lstrip("-") == key
            descending = active and self.sort.startswith("-")
            next_sort = key if (active and descending) or not active else f"-{key}"
            columns.append(
                {
                    "key": key,
                    "title": title,
                    "query": self.query(sorteer=next_sort, pagina=None),
                    "aria_sort": ("descending" if descending else "ascending") if active else "",
                }
            )
        return columns


class RiskFilterForm(AlgorithmFilterForm):
    """The heatmap and risk list: algorithm filters plus the acceptance state and a cell."""

    OPEN, ACCEPTED = "open", "geaccepteerd"
    acceptatie = _select(
        [("", "Alle restrisico's"), (OPEN, "Niet geaccepteerd"), (ACCEPTED, "Geaccepteerd")],
        "Acceptatie",
    )
    likelihood = forms.IntegerField(
        label="Kans", required=False, min_value=1, max_value=5, widget=forms.HiddenInput
    )
    impact = forms.IntegerField(
        label="Impact", required=False, min_value=1, max_value=5, widget=forms.HiddenInput
    )

    DB_FIELDS = (*AlgorithmFilterForm.DB_FIELDS, "acceptatie")


def organisations_of(algorithms: QuerySet) -> list[Organisation]:
    """The organisations of the algorithms (the choices of the organisation filter)."""
    return list(
        Organisation.objects.filter(pk__in=algorithms.order_by().values("organisation_id"))
        .only("name", "slug")
        .order_by("name")
    )


def visible_algorithms(user) -> QuerySet:
    """The algorithms the user may read (as member or portfolio viewer)."""
    return Algorithm.objects.visible_to(user)
