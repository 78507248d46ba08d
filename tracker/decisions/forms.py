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


class ConditionForm(forms.Form):
    """The condition for one open blocker. Its fields are required only for a
    conditional go (``required``); ``members`` are the possible owners."""

    blocker_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    description = forms.CharField(
        label="Voorwaarde", required=False, widget=forms.Textarea({**TEXTAREA, "rows": 2})
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
        self.fields["owner"].choices = [
            ("", "Kies een eigenaar"),
            *((pk, member_name(user)) for pk, user in self.members.items()),
        ]
        for name in ("description", "owner", "due_date"):
            self.fields[name].required = required
            self.fields[name].error_messages["required"] = NEEDED

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

    def spec(self) -> ConditionSpec:
        data = self.cleaned_data
        return ConditionSpec(
            blocker_key=data["blocker_key"],
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
        )


class BaseConditionFormSet(forms.BaseFormSet):
    def specs(self) -> list[ConditionSpec]:
        return [form.spec() for form in self.forms]


ConditionFormSet = forms.formset_factory(ConditionForm, formset=BaseConditionFormSet, extra=0)


class FulfilForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
