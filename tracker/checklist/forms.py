"""Forms of the checklist: an item's status/owner/due date, its work instruction,
comments and go/no-go decisions. They validate and normalise; the actions save."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tracker.checklist.models import ChecklistItem, ItemDecision

Status = ChecklistItem.Status

SELECT = {"class": "utrecht-select utrecht-select--html-select"}
TEXTBOX = {"class": "utrecht-textbox utrecht-textbox--html-input"}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}

NA_NEEDS_JUSTIFICATION = "Geef een onderbouwing waarom dit item niet van toepassing is."
NOT_A_MEMBER = "Kies een eigenaar die lid is van dit algoritme."


class QuickSelect(forms.Select):
    """A select rendered in Python, in the markup of Django's template for it, instead of
    a template per option: the checklist's filters show on every view of the page."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)  # <optgroup>s: the template
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',  # the template ends its line
            (
                (option["value"], _attributes(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            options,
        )


def _attributes(attrs: dict) -> SafeString:
    """The attributes as Django's ``attrs.html`` writes them: a true one by its name,
    a false one not at all."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def member_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def owner_choices(members: list[AbstractBaseUser]) -> list[tuple[str, str]]:
    return [("", "Geen eigenaar"), *((str(user.pk), member_name(user)) for user in members)]


class VersionedForm(forms.Form):
    """A form on a versioned item: carries the version it was loaded at."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ItemForm(VersionedForm):
    """Status, justification, owner and due date of one checklist item.

    ``members`` are the algorithm's members (loaded once by the caller): the owner
    must be one of them, and the choices are built without a query of their own.
    """

    status = forms.ChoiceField(label="Status", choices=Status.choices, widget=forms.Select(SELECT))
    justification = forms.CharField(
        label="Onderbouwing",
        required=False,
        help_text="Verplicht bij 'Niet van toepassing'.",
        widget=forms.Textarea({**TEXTAREA, "rows": 2}),
    )
    owner = forms.ChoiceField(
        label="Eigenaar",
        required=False,
        widget=forms.Select(SELECT),
        error_messages={"invalid_choice": NOT_A_MEMBER},
    )
    due_date = forms.DateField(
        label="Deadline",
        required=False,
        widget=forms.DateInput({**TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
    )

    FIELDS = ("status", "justification", "owner", "due_date")

    def __init__(self, *args, members: list[AbstractBaseUser], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.fields["owner"].choices = owner_choices(members)

    @classmethod
    def for_item(cls, item: ChecklistItem, members: list[AbstractBaseUser]) -> "ItemForm":
        initial = {
            "status": item.status,
            "justification": item.justification,
            "owner": str(item.owner_id or ""),
            "due_date": item.due_date,
            "version": item.version,
        }
        return cls(initial=initial, members=members)

    def clean_justification(self) -> str:
        return self.cleaned_data["justification"].strip()

    def clean_owner(self) -> AbstractBaseUser | None:
        value = self.cleaned_data["owner"]
        if not value:
            return None
        if value not in self.members:
            raise forms.ValidationError(NOT_A_MEMBER)
        return self.members[value]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") == Status.NOT_APPLICABLE and not cleaned.get("justification"):
            self.add_error("justification", NA_NEEDS_JUSTIFICATION)
        return cleaned

    def changes(self) -> dict:
        """The item fields to save (cleaned), without the version."""
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class InstructionForm(VersionedForm):
    """The work instruction. Prefixed ("instruction-"): it shares the item page with
    the ItemForm, and each form posts the other's version (see the views)."""

    prefix = "instruction"

    work_instruction = forms.CharField(
        label="Werkinstructie",
        required=False,
        help_text="Markdown: koppen, lijsten, links. HTML wordt niet uitgevoerd.",
        widget=forms.Textarea({**TEXTAREA, "rows": 10}),
    )

    @classmethod
    def for_item(cls, item: ChecklistItem) -> "InstructionForm":
        return cls(initial={"work_instruction": item.work_instruction, "version": item.version})

    def clean_work_instruction(self) -> str:
        # Normalise line endings so an unchanged text does not count as a change.
        return self.cleaned_data["work_instruction"].replace("\r\n", "\n").strip()


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Opmerking", max_length=5000, widget=forms.Textarea({**TEXTAREA, "rows": 3})
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Een opmerking mag niet leeg zijn.")
        return body


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Besluit", choices=ItemDecision.Verdict.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label="Voorwaarden",
        required=False,
        help_text="Alleen bij 'Go onder voorwaarden': wat moet er nog gebeuren, en wanneer?",
        widget=forms.Textarea({**TEXTAREA, "rows": 3}),
    )
    rationale = forms.CharField(
        label="Onderbouwing", widget=forms.Textarea({**TEXTAREA, "rows": 3})
    )

    def clean_conditions(self) -> str:
        return self.cleaned_data["conditions"].strip()

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Geef een onderbouwing van het besluit.")
        return rationale

    def clean(self) -> dict:
        cleaned = super().clean()
        verdict, conditions = cleaned.get("verdict"), cleaned.get("conditions")
        if verdict == ItemDecision.Verdict.CONDITIONAL and not conditions:
            self.add_error("conditions", "Noem de voorwaarden van deze go.")
        elif verdict and verdict != ItemDecision.Verdict.CONDITIONAL and conditions:
            self.add_error("conditions", "Voorwaarden horen alleen bij 'Go onder voorwaarden'.")
        return cleaned
