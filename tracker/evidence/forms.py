"""Forms for adding and withdrawing evidence. The file itself is checked by
tracker.evidence.uploads when it is stored; the form checks that the right field is
filled for the chosen kind."""

from django import forms
from django.core.validators import URLValidator

from tracker.evidence.models import Evidence
from tracker.evidence.sniffing import ALLOWED_EXTENSIONS_TEXT, TYPES_BY_EXTENSION

WIDGET_CLASSES = {
    "kind": "utrecht-radio-button utrecht-radio-button--html-input",
    "title": "utrecht-textbox utrecht-textbox--html-input",
    "url": "utrecht-textbox utrecht-textbox--html-input",
    "note": "utrecht-textarea utrecht-textarea--html-textarea",
}
ACCEPT = ",".join(f".{extension}" for extension in TYPES_BY_EXTENSION)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort bewijs",
        choices=Evidence.Kind.choices,
        initial=Evidence.Kind.FILE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="Titel",
        max_length=300,
        required=False,
        help_text="Bij een bestand is de bestandsnaam de standaardtitel.",
    )
    file = forms.FileField(
        label="Bestand",
        required=False,
        allow_empty_file=True,  # refused with a clearer message by the upload check
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=f"Toegestaan: {ALLOWED_EXTENSIONS_TEXT}.",
    )
    url = forms.URLField(
        label="Link",
        max_length=2000,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": "Geef een geldige link die begint met http:// of https://."},
    )
    note = forms.CharField(
        label="Notitie", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs) -> None:
        # Unique ids: the item page holds several forms with fields of the same name.
        kwargs.setdefault("auto_id", "evidence-%s")
        super().__init__(*args, **kwargs)
        for name, css in WIDGET_CLASSES.items():
            self.fields[name].widget.attrs["class"] = css

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Evidence.Kind.FILE and not cleaned.get("file"):
            self.add_error("file", "Kies een bestand om te uploaden.")
        if kind == Evidence.Kind.URL and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", "Geef de link naar het bewijs.")
        if kind == Evidence.Kind.NOTE and not cleaned.get("note"):
            self.add_error("note", "Schrijf de notitie.")
        if kind in (Evidence.Kind.URL, Evidence.Kind.NOTE) and not cleaned.get("title"):
            self.add_error("title", "Geef het bewijs een titel.")
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reden van intrekken",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Geef de reden waarom u dit bewijs intrekt."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Geef de reden waarom u dit bewijs intrekt.")
        return reason
