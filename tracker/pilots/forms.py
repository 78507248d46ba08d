"""Forms of the pilot: the pilot with its success criteria (a formset), the evaluation
and the pilot decision. They validate and normalise; tracker.pilots.actions saves."""

from datetime import date

from django import forms

from tracker.checklist.forms import TEXTAREA, TEXTBOX
from tracker.decisions.models import Decision
from tracker.pilots.actions import PILOT_FIELDS, CriterionSpec
from tracker.pilots.decision import PILOT_OUTCOMES
from tracker.pilots.models import Pilot, SuccessCriterion

DATE = forms.DateInput({**TEXTBOX, "type": "date"}, format="%Y-%m-%d")
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
RADIO = {"class": "utrecht-radio-button utrecht-radio-button--html-input"}
YES_NO = [("", "— kies —"), ("ja", "Ja"), ("nee", "Nee")]
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
RELOAD = "Ongeldig formulier; laad de pagina opnieuw."


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


class PilotForm(forms.ModelForm):
    """Scope, legal basis, users and agreements. ``version`` is the pilot's version when
    the form was loaded (empty for a new pilot); ``not_before`` the previous pilot's start."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Pilot
        fields = list(PILOT_FIELDS)
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "max_cases": forms.NumberInput({**TEXTBOX, "min": 1}),
            "other_limit": forms.Textarea({**TEXTAREA, "rows": 2}),
            "units": forms.Textarea({**TEXTAREA, "rows": 2}),
            "processes_production_data": forms.CheckboxInput(CHECKBOX),
            "legal_basis": forms.Textarea({**TEXTAREA, "rows": 3}),
            "legal_basis_url": forms.URLInput(TEXTBOX),
            "participants": forms.Textarea({**TEXTAREA, "rows": 3}),
            "agreements": forms.Textarea({**TEXTAREA, "rows": 5}),
        }
        help_texts = {
            "other_limit": "Bijvoorbeeld: alleen aanvragen uit één gemeente. Vul dit of het "
            "maximale aantal zaken in.",
            "legal_basis": "Verplicht als de pilot productiedata verwerkt.",
            "legal_basis_url": "Link naar de DPIA of ander bewijs van de grondslag.",
            "participants": "Wie werken in de pilot met de output (namen of functies).",
        }
        error_messages = {
            "units": {"required": "Noem de betrokken organisatieonderdelen."},
            "participants": {"required": "Noem de deelnemende gebruikers."},
            "agreements": {"required": "Leg de afspraken met de pilotgebruikers vast."},
        }

    def __init__(self, *args, not_before: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.not_before = not_before
        self.fields["legal_basis_url"].assume_scheme = "https"

    def clean_other_limit(self) -> str:
        return _text(self.cleaned_data["other_limit"])

    def clean_units(self) -> str:
        return _text(self.cleaned_data["units"])

    def clean_legal_basis(self) -> str:
        return _text(self.cleaned_data["legal_basis"])

    def clean_participants(self) -> str:
        return _text(self.cleaned_data["participants"])

    def clean_agreements(self) -> str:
        return _text(self.cleaned_data["agreements"])

    def clean_start_date(self) -> date:
        start = self.cleaned_data["start_date"]
        if self.not_before is not None and start < self.not_before:
            raise forms.ValidationError(
                "Een nieuwe pilot kan niet eerder beginnen dan de vorige "
                f"({self.not_before:%d-%m-%Y})."
            )
        return start

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "De einddatum ligt voor de startdatum.")
        if not data.get("max_cases") and not data.get("other_limit"):
            self.add_error(
                "max_cases", "Geef het maximale aantal zaken of beschrijf een andere begrenzing."
            )
        if data.get("processes_production_data") and not data.get("legal_basis"):
            self.add_error("legal_basis", "Geef de grondslag: de pilot verwerkt productiedata.")
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in PILOT_FIELDS}


class CriterionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Naam", max_length=200, widget=forms.TextInput(TEXTBOX))
    metric = forms.CharField(label="Maatstaf", max_length=300, widget=forms.TextInput(TEXTBOX))
    expected = forms.CharField(
        label="Verwachte waarde of bandbreedte", max_length=200, widget=forms.TextInput(TEXTBOX)
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_metric(self) -> str:
        return " ".join(self.cleaned_data["metric"].split())

    def clean_expected(self) -> str:
        return " ".join(self.cleaned_data["expected"].split())


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.specs() or all(spec.delete for spec in self.specs()):
            raise forms.ValidationError("Geef ten minste één succescriterium.")

    def specs(self) -> list[CriterionSpec]:
        """The filled-in criteria (empty extra rows left out), in form order."""
        specs = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("name") and not data.get("id"):
                continue
            specs.append(
                CriterionSpec(
                    pk=data.get("id"),
                    name=data.get("name", ""),
                    metric=data.get("metric", ""),
                    expected=data.get("expected", ""),
                    delete=bool(data.get("DELETE")),
                )
            )
        return specs


EMPTY_ROWS = 3  # empty criterion rows on a fresh form; "Regel toevoegen" adds one more
MAX_ROWS = 50
CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=EMPTY_ROWS,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)
CRITERION_KEYS = ("id", "name", "metric", "expected", "DELETE")


def criterion_formset(
    data=None,
    criteria: list[SuccessCriterion] = (),
    *,
    initial: list[dict] | None = None,
    extra: int | None = None,
) -> BaseCriterionFormSet:
    """Bound to ``data`` when given; else the saved ``criteria`` (or ``initial`` rows,
    e.g. what was typed before "Regel toevoegen") with ``extra`` empty rows."""
    if initial is None:
        initial = [
            {"id": c.pk, "name": c.name, "metric": c.metric, "expected": c.expected}
            for c in criteria
        ]
    formset = CriterionFormSet(data, initial=initial, prefix="criteria")
    if extra is not None:
        formset.extra = extra
    for form in formset:
        form.fields["DELETE"].label = "Verwijderen"
        form.fields["DELETE"].widget.attrs.update(CHECKBOX)
    return formset


def rows_with_one_more(data) -> tuple[list[dict], int]:
    """The criterion rows as typed (unsaved, unvalidated) and the number of empty rows
    to show: the typed empty ones plus one, for "Regel toevoegen" without JavaScript."""
    try:
        total = int(data.get("criteria-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    total = max(0, min(total, MAX_ROWS))
    rows, empty = [], 0
    for n in range(total):
        row = {key: data.get(f"criteria-{n}-{key}", "") for key in CRITERION_KEYS}
        row["DELETE"] = bool(row["DELETE"])
        if row["id"] or any(row[key].strip() for key in ("name", "metric", "expected")):
            rows.append(row)
        else:
            empty += 1
    return rows, min(empty + 1, MAX_ROWS - len(rows))


class EvaluationForm(forms.Form):
    """Per success criterion the measured value and whether it was met (fields
    ``measured_<pk>`` and ``met_<pk>``), then the findings."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    usability_findings = forms.CharField(
        label="Kunnen gebruikers met de output werken? Hun bevindingen",
        widget=forms.Textarea({**TEXTAREA, "rows": 5}),
        error_messages={"required": "Beschrijf of de gebruikers met de output konden werken."},
    )
    other_findings = forms.CharField(
        label="Overige bevindingen", required=False, widget=forms.Textarea({**TEXTAREA, "rows": 4})
    )

    def __init__(self, *args, criteria: list[SuccessCriterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"measured_{criterion.pk}"] = forms.CharField(
                label=f"Gemeten waarde: {criterion.name}",
                max_length=200,
                widget=forms.TextInput(TEXTBOX),
                error_messages={"required": "Vul de gemeten waarde in."},
            )
            self.fields[f"met_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"Gehaald: {criterion.name}",
                choices=YES_NO,
                coerce=lambda value: value == "ja",
                widget=forms.Select(SELECT),
                error_messages={"required": "Kies of het criterium is gehaald."},
            )

    @classmethod
    def initial_for(cls, pilot: Pilot) -> dict:
        initial: dict = {"version": pilot.version}
        evaluation = pilot.evaluation_or_none
        if evaluation is None:
            return initial
        initial["usability_findings"] = evaluation.usability_findings
        initial["other_findings"] = evaluation.other_findings
        for result in evaluation.results.all():
            initial[f"measured_{result.criterion_id}"] = result.measured_value
            initial[f"met_{result.criterion_id}"] = "ja" if result.met else "nee"
        return initial

    def clean(self) -> dict:
        data = super().clean()
        for name in ("usability_findings", "other_findings"):
            if name in data:
                data[name] = _text(data[name])
        if "usability_findings" in data and not data["usability_findings"]:
            self.add_error(
                "usability_findings", "Beschrijf of de gebruikers met de output konden werken."
            )
        return data

    def rows(self) -> list[tuple[SuccessCriterion, forms.BoundField, forms.BoundField]]:
        return [
            (criterion, self[f"measured_{criterion.pk}"], self[f"met_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("usability_findings", "other_findings")}

    def results(self) -> dict[int, tuple[str, bool]]:
        return {
            criterion.pk: (
                " ".join(self.cleaned_data[f"measured_{criterion.pk}"].split()),
                self.cleaned_data[f"met_{criterion.pk}"],
            )
            for criterion in self.criteria
        }


class PilotDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Besluit",
        choices=[(value, Decision.Outcome(value).label) for value in PILOT_OUTCOMES],
        widget=forms.RadioSelect(RADIO),
        error_messages={"required": "Kies een besluit."},
    )
    rationale = forms.CharField(
        label="Onderbouwing",
        widget=forms.Textarea({**TEXTAREA, "rows": 5}),
        error_messages={"required": "Geef een onderbouwing."},
    )
    # The pk of the current pilot decision when the form was loaded ("" for none),
    # and the pilot's version then: both detect a stale form.
    current = forms.CharField(required=False, widget=forms.HiddenInput)
    pilot_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean_rationale(self) -> str:
        text = _text(self.cleaned_data["rationale"])
        if not text:
            raise forms.ValidationError("Geef een onderbouwing.")
        return text

    def clean_current(self) -> int | None:
        value = (self.cleaned_data.get("current") or "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError(RELOAD)
        return int(value)
