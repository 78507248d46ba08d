"""QuickSelect writes the markup of Django's own Select template, without a template."""

import pytest
from django import forms

from tracker.checklist.filters import ChecklistFilterForm
from tracker.checklist.forms import SELECT, QuickSelect

CHOICES = [("", "Alle"), ("open", "Open"), ("x&y", 'A <b> & "c"'), (7, "Zeven")]


@pytest.mark.parametrize("value", ["", "open", "x&y", 7, "7", None, "onbekend", ["open"]])
def test_the_markup_of_djangos_select(value):
    attrs = {"id": "id_status", "aria-describedby": "hulp", "required": True, "disabled": False}
    django_select = forms.Select(SELECT, choices=CHOICES).render("status", value, attrs)
    quick = QuickSelect(SELECT, choices=CHOICES).render("status", value, attrs)
    assert quick == django_select
    assert "&lt;b&gt;" in quick  # labels escaped


def test_the_checklist_filters_use_it():
    form = ChecklistFilterForm({"status": "open"}, members=[])
    assert isinstance(form.fields["status"].widget, QuickSelect)
    assert '<option value="open" selected>' in str(form["status"])


def test_grouped_choices_as_django_writes_them():
    grouped = [("Status", [("open", "Open"), ("done", "Gereed")]), ("", "Geen")]
    assert QuickSelect(choices=grouped).render("s", "done") == forms.Select(choices=grouped).render(
        "s", "done"
    )
