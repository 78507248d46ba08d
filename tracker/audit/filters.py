"""The audit log's filter form: by object type and by user, over one algorithm's entries.

The choices are what occurs in the algorithm's trail (one query each), so a filter
never offers an empty result; a bad value gets a field error and is ignored.
"""

from django import forms
from django.contrib.auth import get_user_model

from tracker.audit.labels import object_type_label
from tracker.audit.models import AuditEntryQuerySet


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"})


class AuditFilterForm(forms.Form):
    type = forms.ChoiceField(label="Soort", required=False, widget=_select())
    user = forms.TypedChoiceField(
        label="Gebruiker", required=False, coerce=int, empty_value=None, widget=_select()
    )

    def __init__(self, data, *, entries: AuditEntryQuerySet):
        super().__init__(data)
        types = entries.order_by().values_list("object_type", flat=True).distinct()
        type_choices = sorted(((t, object_type_label(t)) for t in types), key=lambda c: c[1])
        self.fields["type"].choices = [("", "Alle soorten"), *type_choices]
        actors = (
            get_user_model()
            .objects.filter(pk__in=entries.order_by().values("actor_id"))
            .order_by("username")
        )
        self.fields["user"].choices = [
            ("", "Alle gebruikers"),
            *((u.pk, u.get_full_name() or u.get_username()) for u in actors),
        ]

    def apply(self, entries: AuditEntryQuerySet) -> AuditEntryQuerySet:
        self.is_valid()  # a field with an error is left out of cleaned_data: not filtered on
        data = self.cleaned_data
        if data.get("type"):
            entries = entries.of_type(data["type"])
        if data.get("user") is not None:
            entries = entries.by_actor(data["user"])
        return entries

    @property
    def active(self) -> bool:
        return self.is_valid() and any(v not in ("", None) for v in self.cleaned_data.values())
