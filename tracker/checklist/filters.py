"""The checklist page's GET filters and grouping choice: a small form that validates
and normalises the query string. Bad values are ignored (with the form's error),
never a 500."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from tracker.algorithms.models import Algorithm, Membership
from tracker.catalog.models import CatalogItem
from tracker.checklist.forms import SELECT, TEXTBOX, QuickSelect, member_name
from tracker.checklist.models import ChecklistItem, ChecklistItemQuerySet

NO_OWNER = "geen"
BY_TOPIC = "onderwerp"
BY_REQUIREMENT = "vereiste"
KINDS = {
    "vereiste": CatalogItem.Kind.REQUIREMENT,
    "maatregel": CatalogItem.Kind.MEASURE,
    "criterium": CatalogItem.Kind.CRITERION,
}


def members_of(algorithm: Algorithm) -> list[AbstractBaseUser]:
    """The algorithm's members (possible item owners), in one query."""
    memberships = (
        Membership.objects.filter(algorithm=algorithm)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    return [membership.user for membership in memberships]


# The filters behind "Meer filters" on the checklist page; group, status and search stay out.
MORE_FILTERS = ("owner", "type", "overdue", "review")


class ChecklistFilterForm(forms.Form):
    group = forms.ChoiceField(
        label="Groeperen",
        required=False,
        choices=[(BY_TOPIC, "Per onderwerp"), (BY_REQUIREMENT, "Vereiste met maatregelen")],
        widget=QuickSelect(SELECT),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alle statussen"), *ChecklistItem.Status.choices],
        widget=QuickSelect(SELECT),
    )
    owner = forms.ChoiceField(label="Eigenaar", required=False, widget=QuickSelect(SELECT))
    type = forms.ChoiceField(
        label="Soort",
        required=False,
        choices=[
            ("", "Alle soorten"),
            ("vereiste", "Vereisten"),
            ("maatregel", "Maatregelen"),
            ("criterium", "Pilot- en go-livecriteria"),
        ],
        widget=QuickSelect(SELECT),
    )
    overdue = forms.BooleanField(
        label="Alleen te laat",
        required=False,
        widget=forms.CheckboxInput({"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    review = forms.BooleanField(
        label="Alleen opnieuw beoordelen",
        required=False,
        help_text="Inhoudelijk gewijzigd in een nieuwere release, nog niet bevestigd",
        widget=forms.CheckboxInput({"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    q = forms.CharField(
        label="Zoeken",
        required=False,
        max_length=200,
        widget=forms.TextInput({**TEXTBOX, "type": "search"}),
    )

    def __init__(self, data, *, members: list[AbstractBaseUser]):
        super().__init__(data)
        self.fields["owner"].choices = [
            ("", "Alle eigenaren"),
            (NO_OWNER, "Zonder eigenaar"),
            *((str(user.pk), member_name(user)) for user in members),
        ]
        self.is_valid()  # fills cleaned_data with the valid fields; errors stay shown

    def value(self, name: str):
        """The cleaned value of a filter, or empty when it was invalid or absent."""
        return self.cleaned_data.get(name) or ""

    @property
    def grouping(self) -> str:
        return self.value("group") or BY_TOPIC

    @property
    def is_filtered(self) -> bool:
        return any(
            self.value(name) for name in ("status", "owner", "type", "overdue", "review", "q")
        )

    @property
    def more_set(self) -> int:
        """How many of the filters folded behind "Meer filters" are set (the fold is
        open when any is)."""
        return sum(1 for name in MORE_FILTERS if self.value(name))

    def apply(self, items: ChecklistItemQuerySet, today=None) -> ChecklistItemQuerySet:
        if status := self.value("status"):
            items = items.with_status(status)
        if owner := self.value("owner"):
            items = items.without_owner() if owner == NO_OWNER else items.filter(owner_id=owner)
        if kind := self.value("type"):
            items = items.of_kind(KINDS[kind])
        if self.value("overdue"):
            items = items.overdue(today)
        if self.value("review"):
            items = items.to_review()
        if q := self.value("q").strip():
            items = items.search(q)
        return items
