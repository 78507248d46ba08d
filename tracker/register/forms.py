"""The register entry form, built from the standard's configuration at run time: one
field per field of the standard, with the standard's title and help text, and for a
prefilled field a box to go back to the tracker's value."""

from django import forms

from tracker.checklist.forms import SELECT, TEXTBOX
from tracker.register.entry import EntryState, FieldState
from tracker.register.standard import Field

TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
LONG_TEXT = 200  # fields allowing more characters get a text area
RESET_PREFIX = "terug_"


def _form_field(one: Field) -> forms.Field:
    common = {"label": one.title, "required": False, "help_text": one.help_text}
    if one.is_choice_list:
        return forms.MultipleChoiceField(
            choices=[(value, value) for value in one.permitted_values],
            widget=forms.CheckboxSelectMultiple(CHECKBOX),
            **common,
        )
    if one.permitted_values:
        return forms.ChoiceField(
            choices=[("", "—"), *((value, value) for value in one.permitted_values)],
            widget=forms.Select(SELECT),
            **common,
        )
    if one.is_grouping:
        return forms.CharField(
            widget=forms.Textarea(TEXTAREA),
            strip=True,
            **{**common, "help_text": f"{one.help_text} Eén per regel: titel | link.".strip()},
        )
    if one.is_html or (one.max_length or 0) > LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(TEXTAREA), strip=True, **common)
    attrs = {**TEXTBOX}
    if one.is_email:
        attrs.update(type="email", autocomplete="email")
    return forms.CharField(widget=forms.TextInput(attrs), strip=True, **common)


def grouping_rows(text: str) -> list[dict]:
    """``titel | link`` lines as the register's list of {title, link}."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, _, link = line.partition("|")
        rows.append({"title": title.strip() or None, "link": link.strip() or None})
    return rows


class RegisterEntryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, state: EntryState, data=None):
        self.state = state
        fields = state.fields
        initial = {"version": state.entry.version if state.entry else 0}
        for field_state in fields:
            initial[field_state.name] = (
                field_state.value or [] if field_state.field.is_choice_list else field_state.shown
            )
        super().__init__(data, initial=initial)
        self.rows: list[tuple[FieldState, forms.BoundField, forms.BoundField | None]] = []
        for field_state in fields:
            one = field_state.field
            self.fields[one.name] = form_field = _form_field(one)
            if not one.is_choice_list:
                described = f"id_{one.name}_help"
                if field_state.messages:
                    described += f" id_{one.name}_error"
                    form_field.widget.attrs["aria-invalid"] = "true"
                form_field.widget.attrs["aria-describedby"] = described
            if field_state.prefill is not None:
                self.fields[RESET_PREFIX + one.name] = forms.BooleanField(
                    label="Terug naar de waarde uit de tracker",
                    required=False,
                    widget=forms.CheckboxInput(CHECKBOX),
                )
        for field_state in fields:
            reset = RESET_PREFIX + field_state.name
            self.rows.append(
                (field_state, self[field_state.name], self[reset] if reset in self.fields else None)
            )

    def submitted(self) -> tuple[dict, set[str]]:
        """The values of the standard's fields and the fields to reset (after is_valid)."""
        values, reset = {}, set()
        for field_state in self.state.fields:
            one = field_state.field
            value = self.cleaned_data.get(one.name)
            if self.cleaned_data.get(RESET_PREFIX + one.name):
                reset.add(one.name)
                continue
            if one.is_grouping:
                value = grouping_rows(value or "")
            elif one.is_choice_list:
                value = list(value or [])
            values[one.name] = value
        return values, reset
