"""The GET filters and sort order of the portfolio and the risk pages: small forms that
validate and normalise the query string. Invalid values are ignored (and shown as
the field's error), never a 500.

Filters on an algorithm's own fields narrow the queryset; those on figures (has
blockers, in pilot without a decision) narrow the computed rows.
"""

import hashlib
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, DateField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Lower

from tracker.algorithms.models import Algorithm
from tracker.applicability.labels import RISICOGROEP_CHOICES
from tracker.catalog.phases import PHASE_ORDER, Phase
from tracker.checklist.forms import SELECT, TEXTBOX
from tracker.dashboards.models import AlgorithmStatus
from tracker.organisations.models import Organisation

YES, NO = "ja", "nee"
YES_NO = [("", "Alle"), (YES, "Ja"), (NO, "Nee")]
NO_RISK_GROUP = "geen"

PHASE_RANK = Case(
    *(When(phase=phase, then=Value(n)) for n, phase in enumerate(PHASE_ORDER)),
    default=Value(len(PHASE_ORDER)),
    output_field=IntegerField(),
)
STATUS_RANK = Case(
    *(When(figures__status=key, then=Value(n)) for n, key in enumerate(AlgorithmStatus.values)),
    default=Value(len(AlgorithmStatus.values)),
    output_field=IntegerField(),
)
# Days in pilot: only while in stage pilot; more days is an earlier start.
PILOT_START = Case(
    When(stage=Algorithm.Stage.PILOT, then=F("figures__pilot_start")),
    default=Value(None),
    output_field=DateField(),
)
# sort key -> (column title, the database ordering, ascending; empty values sort last in
# either direction, ties by name). The figures are the maintained ones
# (tracker.dashboards.figures), so every sort and filter runs in the database.
SORTS = {
    "naam": ("Algoritme", (Lower("name"),)),
    "status": ("Status", (STATUS_RANK,)),
    "organisatie": ("Organisatie", (Lower("organisation__name"),)),
    "fase": ("Fase en stap", (PHASE_RANK, F("stage"))),
    "release": ("Release", (F("release__version_key"),)),
    "gereed": ("Gereed", (F("figures__percent_ready"), F("figures__total"))),
    "vereisten": ("Vereisten gereed", (F("figures__req_percent_ready"), F("figures__req_total"))),
    "blokkades": ("Blokkades volgende besluit", (F("figures__next_gate_blockers"),)),
    "te-laat": ("Te laat", (F("figures__overdue"),)),
    "risicos": ("Restrisico's open", (F("figures__unaccepted_risks"),)),
    "besluit": ("Laatste besluit", (F("figures__last_decision_at"),)),
    "pilot": ("Dagen in pilot", (PILOT_START,)),
}
DESCENDING_FIRST = {"pilot"}  # sorted on a value that runs against the column's figure
DEFAULT_SORT = "naam"
# The table's columns, in order (organisation and vereisten sit in the name and ready cells).
COLUMNS = ("naam", "status", "fase", "gereed", "blokkades", "te-laat", "risicos", "besluit")
COLUMNS += ("pilot", "release")
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

    def cache_key(self) -> str:
        """What the rendered form depends on: the submitted values (errors included) and
        the organisations it offers."""
        raw = repr(
            (
                sorted(self.data.lists())
                if hasattr(self.data, "lists")
                else sorted(self.data.items()),
                self.fields["organisatie"].choices,
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    def query(self, **overrides) -> str:
        params = self.params(**overrides)
        return "?" + urlencode(params) if params else ""


REGISTER_CHANGED, REGISTER_CURRENT, REGISTER_NOT_EXPORTED = (
    "gewijzigd",
    "actueel",
    "niet-geexporteerd",
)


class PortfolioFilterForm(AlgorithmFilterForm):
    status = _select([("", "Alle"), *AlgorithmStatus.choices], "Status")
    blokkades = _select(YES_NO, "Blokkades voor het volgende besluit")
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

    DB_FIELDS = (
        *AlgorithmFilterForm.DB_FIELDS,
        "algoritmeregister",
        "status",
        "blokkades",
        "pilot_dagen",
    )

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

    def apply_figures(self, algorithms: QuerySet, today: date) -> QuerySet:
        """The filters on the maintained figures (tracker.dashboards.figures)."""
        if status := self.value("status"):
            algorithms = algorithms.filter(figures__status=status)
        if blockers := self.value("blokkades"):
            if blockers == YES:
                algorithms = algorithms.filter(figures__next_gate_blockers__gt=0)
            else:
                algorithms = algorithms.filter(figures__next_gate_blockers=0)
        days = self.cleaned_data.get("pilot_dagen")
        if days is not None:
            algorithms = algorithms.filter(
                stage=Algorithm.Stage.PILOT,
                figures__pilot_decided=False,
                figures__pilot_start__lt=today - timedelta(days=days),
            )
        return algorithms

    @property
    def sort(self) -> str:
        return self.value("sorteer") or DEFAULT_SORT

    @property
    def active_count(self) -> int:
        """How many filters are chosen (the sort order not counted)."""
        return sum(1 for name in self.DB_FIELDS if self.value(name) not in ("", None))

    def db_order(self) -> list:
        """The database ordering of the chosen sort: empty values last, ties by name."""
        key = self.sort.lstrip("-")
        descending = self.sort.startswith("-") != (key in DESCENDING_FIRST)
        parts = [
            part.desc(nulls_last=True) if descending else part.asc(nulls_last=True)
            for part in SORTS[key][1]
        ]
        return [*parts, Lower("name"), "pk"]

    def columns(self) -> list[dict]:
        """Column headers with the link that sorts by them (toggling the direction)."""
        columns = []
        for key in COLUMNS:
            title = SORTS[key][0]
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
