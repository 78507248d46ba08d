"""Forms for residual risks: add/edit (with the version for stale-form detection),
accept (optional expiry in the future) and revoke an acceptance."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from tracker.risks.actions import EXPIRY_NOT_IN_FUTURE
from tracker.risks.models import ResidualRisk

LIKELIHOOD_CHOICES = [
    (1, "1 – zeer klein"),
    (2, "2 – klein"),
    (3, "3 – middel"),
    (4, "4 – groot"),
    (5, "5 – zeer groot"),
]
IMPACT_CHOICES = [
    (1, "1 – zeer beperkt"),
    (2, "2 – beperkt"),
    (3, "3 – aanzienlijk"),
    (4, "4 – groot"),
    (5, "5 – zeer groot"),
]
WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.DateInput: "utrecht-textbox utrecht-textbox--html-input",
}


def _scale(label: str, choices) -> forms.TypedChoiceField:
    message = f"Kies voor {label} een waarde van 1 tot en met 5."
    return forms.TypedChoiceField(
        label=label.capitalize(),
        choices=[("", "— kies —"), *choices],
        coerce=int,
        error_messages={"required": message, "invalid_choice": message},
    )


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = WIDGET_CLASSES.get(type(field.widget))
        if css:
            field.widget.attrs["class"] = css


class RiskForm(forms.ModelForm):
    """Add a residual risk. Pass ``algorithm`` so the owner can be chosen among its
    members; without it no owner can be chosen (never a list of all users)."""

    likelihood = _scale("kans", LIKELIHOOD_CHOICES)
    impact = _scale("impact", IMPACT_CHOICES)

    class Meta:
        model = ResidualRisk
        fields = ["description", "likelihood", "impact", "mitigation", "owner"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"description": "Omschrijving", "mitigation": "Beheersmaatregel"}
        help_texts = {"mitigation": "Wat is of wordt er gedaan om het risico te beperken?"}
        error_messages = {"description": {"required": "Beschrijf het restrisico."}}

    def __init__(self, *args, algorithm=None, **kwargs) -> None:
        kwargs.setdefault("auto_id", "risk-%s")
        super().__init__(*args, **kwargs)
        members = get_user_model().objects.none()
        if algorithm is not None:
            members = (
                get_user_model()
                .objects.filter(algorithm_memberships__algorithm=algorithm)
                .order_by("username")
            )
        owner = self.fields["owner"]
        owner.queryset = members
        owner.label = "Eigenaar"
        owner.empty_label = "— geen eigenaar —"
        owner.label_from_instance = lambda user: user.get_full_name() or user.get_username()
        owner.error_messages["invalid_choice"] = "De eigenaar moet lid zijn van dit algoritme."
        _style(self)

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def clean_mitigation(self) -> str:
        return self.cleaned_data["mitigation"].strip()


class RiskEditForm(RiskForm):
    """Edit a risk; ``version`` is the version the form was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        instance = kwargs.get("instance")
        if instance is not None:
            kwargs.setdefault("auto_id", f"risk-{instance.pk}-%s")
            kwargs.setdefault("initial", {}).setdefault("version", instance.version)
        super().__init__(*args, **kwargs)


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    expires = forms.DateField(
        label="Geldig tot (optioneel)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Geef een geldige datum."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_expires(self):
        expires = self.cleaned_data["expires"]
        if expires is not None and expires <= timezone.localdate():
            raise forms.ValidationError(EXPIRY_NOT_IN_FUTURE)
        return expires


class RevokeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
