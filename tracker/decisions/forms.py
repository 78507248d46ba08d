"""Forms of the go-live decision: the outcome with its rationale, one condition per open
blocker (for a conditional go), and marking a condition fulfilled. They validate and
normalise; tracker.decisions.actions checks the gate's rules and records."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from tracker.checklist.forms import SELECT, TEXTAREA, TEXTBOX, member_name
from tracker.decisions.actions import ConditionSpec
from tracker.decisions.models import Decision

Outcome = Decision.Outcome
GO_LIVE_OUTCOMES = [
    (Outcome.GO, Outcome.GO.label),
    (Outcome.CONDITIONAL, Outcome.CONDITIONAL.label),
    (Outcome.NO_GO, Outcome.NO_GO.label),
]
DUE_IN_PAST = "Kies een deadline vandaag of later."
NEEDED = "Verplicht bij een go onder voorwaarden."
NO_OWNER = "Kies een eigenaar, hier of voor alle voorwaarden."
NO_DUE_DATE = "Kies een deadline, hier of voor alle voorwaarden."
DEFAULT_NEEDED = {
    "owner": "Kies een eigenaar voor alle voorwaarden (of een eigen eigenaar per blokkade).",
    "due_date": "Kies een deadline voor alle voorwaarden (of een eigen deadline per blokkade).",
}


class GoLiveDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Besluit", choices=GO_LIVE_OUTCOMES, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Onderbouwing", widget=forms.Textarea({**TEXTAREA, "rows": 5})
    )
    # The pk of the current decision when the form was loaded ("" for none): stale check.
    current = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_rationale(self) -> str:
        text = self.cleaned_data["rationale"].strip()
        if not text:
            raise forms.ValidationError("Geef een onderbouwing.")
        return text

    def clean_current(self) -> int | None:
        value = (self.cleaned_data.get("current") or "").strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError("Ongeldig formulier; laad de pagina opnieuw.")
        return int(value)

    @property
    def is_conditional(self) -> bool:
        return self.data.get(self.add_prefix("outcome")) == Outcome.CONDITIONAL


class ConditionDefaultsForm(forms.Form):
    """Owner and due date set once for every chosen condition; a row may set its own."""

    owner = forms.ChoiceField(
        label="Eigenaar van alle voorwaarden", required=False, widget=forms.Select(SELECT)
    )
    due_date = forms.DateField(
        label="Deadline van alle voorwaarden",
        required=False,
        widget=forms.DateInput({**TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, members: list[AbstractBaseUser], today=None, **kwargs):
        super().__init__(*args, prefix="alle", **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.today = today or timezone.localdate()
        self.fields["owner"].choices = [
            ("", "Kies een eigenaar"),
            *((pk, member_name(user)) for pk, user in self.members.items()),
        ]

    def clean_owner(self) -> AbstractBaseUser | None:
        value = self.cleaned_data["owner"]
        return self.members.get(value) if value else None

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value is not None and value < self.today:
            raise forms.ValidationError(DUE_IN_PAST)
        return value


class ConditionForm(forms.Form):
    """One open blocker: chosen as a condition or not (all are, at first), with its own
    description, owner and due date where they differ from the defaults.
    ``members`` are the possible owners."""

    blocker_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    chosen = forms.BooleanField(label="Als voorwaarde opnemen", required=False, initial=True)
    description = forms.CharField(
        label="Voorwaarde",
        required=False,
        help_text="Leeg: 'Oplossen: ' en de blokkade.",
        widget=forms.Textarea({**TEXTAREA, "rows": 2}),
    )
    owner = forms.ChoiceField(label="Eigenaar", required=False, widget=forms.Select(SELECT))
    due_date = forms.DateField(
        label="Deadline",
        required=False,
        widget=forms.DateInput({**TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self, *args, members: list[AbstractBaseUser], required: bool = False, today=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.today = today or timezone.localdate()
        self.required = required  # a conditional go: chosen rows need an owner and a date
        self.blocker = None  # set by the page: the open blocker this row is about
        self.fields["owner"].choices = [
            ("", "Zoals voor alle voorwaarden"),
            *((pk, member_name(user)) for pk, user in self.members.items()),
        ]

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def clean_owner(self) -> AbstractBaseUser | None:
        value = self.cleaned_data["owner"]
        return self.members.get(value) if value else None

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value is not None and value < self.today:
            raise forms.ValidationError(DUE_IN_PAST)
        return value

    def lacks(self, name: str) -> bool:
        """Chosen for a conditional go, and without its own value for ``name``."""
        return (
            self.required
            and self.is_valid()
            and bool(self.cleaned_data.get("chosen"))
            and self.cleaned_data[name] is None
        )

    def spec(self, defaults: dict | None = None) -> ConditionSpec:
        data, defaults = self.cleaned_data, defaults or {}
        label = self.blocker.label if self.blocker is not None else data["blocker_key"]
        return ConditionSpec(
            blocker_key=data["blocker_key"],
            description=data["description"] or f"Oplossen: {label}",
            owner=data["owner"] or defaults.get("owner"),
            due_date=data["due_date"] or defaults.get("due_date"),
        )


class BaseConditionFormSet(forms.BaseFormSet):
    def complete(self, defaults: "ConditionDefaultsForm") -> bool:
        """Every chosen row has an owner and a due date, its own or the default. A default
        that is missing gets one error (on the default), not one per row; a row is
        flagged only when its neighbours' defaults cannot help it."""
        fields = (("owner", NO_OWNER), ("due_date", NO_DUE_DATE))
        lacks = {name: [form for form in self.forms if form.lacks(name)] for name, _ in fields}
        for name, message in fields:
            lacking = lacks[name]
            if not lacking or defaults.cleaned_data.get(name) is not None:
                continue
            if len(lacking) > 1 or len(self.forms) > 1:
                defaults.add_error(name, DEFAULT_NEEDED[name])
            else:
                lacking[0].add_error(name, message)
        return not defaults.errors and not any(form.errors for form in self.forms)

    def specs(self, defaults: dict | None = None) -> list[ConditionSpec]:
        return [form.spec(defaults) for form in self.forms if form.cleaned_data.get("chosen")]


ConditionFormSet = forms.formset_factory(ConditionForm, formset=BaseConditionFormSet, extra=0)


def error_summary(form, defaults, formset, refusal=None) -> list[tuple[str, str]]:
    """Every problem of a refused decision as (link to the field, text), in page order,
    for the summary at the top of the gate page."""
    rows: list[tuple[str, str]] = []
    forms_in_order = [form, defaults, *(formset.forms if formset is not None else [])]
    for each in forms_in_order:
        if each is None or not each.is_bound:
            continue
        blocker = getattr(each, "blocker", None)
        prefix = f"{blocker.label}: " if blocker is not None else ""
        for name, errors in each.errors.items():
            field = each.fields.get(name)
            anchor = f"#{each[name].id_for_label}" if field is not None else "#besluit-vastleggen"
            label = f"{field.label}: " if field is not None else ""
            for error in errors:
                rows.append((anchor, f"{prefix}{label}{error}"))
    if refusal is not None:
        rows.append(("#geweigerd", refusal.message))
        rows += [("#geweigerd", line) for line in refusal.problems]
    return rows


class FulfilForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
