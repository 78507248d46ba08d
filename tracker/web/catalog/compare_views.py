"""The catalog page that compares two releases (tracker.catalog.compare does the work)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.catalog.compare import CLASS_LABELS, PairClass, compare
from tracker.catalog.models import ContentRelease
from tracker.http import HtmxHttpRequest

SHOWN = (PairClass.SUBSTANCE, PairClass.ADDED, PairClass.REMOVED, PairClass.FORM)


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"})


class CompareForm(forms.Form):
    oud = forms.ChoiceField(label="Oude release", widget=_select())
    nieuw = forms.ChoiceField(label="Nieuwe release", widget=_select())

    def __init__(self, data, releases: list[ContentRelease]):
        labels = [(r.label, r.label) for r in releases]
        initial = {}
        if len(releases) >= 2:
            initial = {"oud": releases[1].label, "nieuw": releases[0].label}
        merged = {**initial, **{k: v for k, v in data.items() if k in ("oud", "nieuw") and v}}
        super().__init__(merged if merged else None)
        self.fields["oud"].choices = labels
        self.fields["nieuw"].choices = labels

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("oud") and cleaned.get("oud") == cleaned.get("nieuw"):
            raise forms.ValidationError("Kies twee verschillende releases.")
        return cleaned


@login_required
@require_GET
def compare_releases(request: HtmxHttpRequest) -> HttpResponse:
    """Two releases side by side: counts per class, reused URNs, and every change."""
    releases = list(ContentRelease.objects.filter(kind=ContentRelease.Source.ALGORITMEKADER))
    form = CompareForm(request.GET, releases)
    comparison = None
    if form.is_bound and form.is_valid():
        by_label = {r.label: r for r in releases}
        comparison = compare(
            by_label[form.cleaned_data["oud"]], by_label[form.cleaned_data["nieuw"]]
        )
    context = {
        "form": form,
        "comparison": comparison,
        "counts": [(CLASS_LABELS[k], n) for k, n in comparison.counts().items()]
        if comparison
        else [],
        "sections": [(CLASS_LABELS[k], k.value, comparison.of_class(k)) for k in SHOWN]
        if comparison
        else [],
    }
    return render(request, "catalog/compare.html", context)
