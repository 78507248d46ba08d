"""Catalog pages: the filterable list of vereisten, maatregelen and hulpmiddelen, and
one item's page. Everyone who is logged in may read the catalog."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from tracker.applicability.expressions import ExpressionError, parse
from tracker.applicability.labels import dimension_name, value_name
from tracker.catalog.filters import CatalogFilterForm
from tracker.catalog.item_body import item_body
from tracker.catalog.models import AuditNorm, CatalogItem
from tracker.http import HtmxHttpRequest

SECTION_TITLES = {
    CatalogItem.Kind.REQUIREMENT: "Vereisten",
    CatalogItem.Kind.MEASURE: "Maatregelen",
    CatalogItem.Kind.INSTRUMENT: "Hulpmiddelen",
    CatalogItem.Kind.CRITERION: "Criteria",
}
KIND_ORDER = list(SECTION_TITLES)


@dataclass
class Section:
    kind: str
    title: str
    items: list[CatalogItem] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        """E.g. "1 vereiste" or "12 vereisten"."""
        noun = CatalogItem.Kind(self.kind).label if len(self.items) == 1 else self.title
        return f"{len(self.items)} {noun.lower()}"


@login_required
@require_GET
def item_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET)
    release = form.selected_release
    sections = []
    if release is not None:
        for kind in form.section_kinds:
            items = form.apply(CatalogItem.objects.in_release(release).filter(kind=kind), kind)
            sections.append(
                Section(kind, SECTION_TITLES[kind], list(items.select_related("release", "law")))
            )
        # One prefetch over all sections: the query count does not grow with the items.
        prefetch_related_objects(
            [item for section in sections for item in section.items], "phases", "topics", "roles"
        )
    context = {"form": form, "release": release, "sections": sections}
    response = render(request, _list_template(request), context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _list_template(request: HtmxHttpRequest) -> str:
    """The whole page, or for htmx only the swapped region: the results, or the whole
    catalog (form included) when the release changes, as its choices change with it."""
    if not request.htmx or request.htmx.history_restore_request:
        return "catalog/item_list.html"
    if request.htmx.target == "catalog":
        return "catalog/item_list.html#catalog"
    return "catalog/item_list.html#results"


@login_required
@require_GET
def item_detail(request: HtmxHttpRequest, release: str, kind: str, slug: str) -> HttpResponse:
    item = get_object_or_404(
        CatalogItem.objects.select_related("release", "law").prefetch_related(
            "phases", "topics", "roles", "norms"
        ),
        release__label=release,
        kind=kind,
        slug=slug,
    )
    context = {
        "item": item,
        "body": item_body(item, item.release),
        "related": related_sections(item),
        "labels": readable_labels(item.labels),
        "exceptions": [readable_exception(text) for text in item.exceptions if text],
        "audit_references": audit_references(item),
    }
    return render(request, "catalog/item_detail.html", context)


def related_sections(item: CatalogItem) -> list[Section]:
    """Items this one links to and items that link to it, grouped by kind."""
    by_kind: dict[str, dict[int, CatalogItem]] = {}
    for other in [
        *item.links.select_related("release"),
        *item.linked_from.select_related("release"),
    ]:
        by_kind.setdefault(other.kind, {})[other.pk] = other
    return [
        Section(kind, SECTION_TITLES[kind], list(by_kind[kind].values()))
        for kind in KIND_ORDER
        if kind in by_kind
    ]


def readable_labels(labels: dict) -> list[tuple[str, list[str]]]:
    """[(dimension name, [value names])] in the content's order of dimensions."""
    rows = []
    for dimension, values in labels.items():
        values = values if isinstance(values, list) else [values]
        shown = [value_name(dimension, str(value)) for value in values if value]
        if shown:
            rows.append((dimension_name(dimension), shown))
    return rows


def readable_exception(text: str) -> str:
    """An ``uitzondering`` condition in Dutch words; as written if it does not parse."""
    try:
        return parse(text).describe()
    except ExpressionError:
        return text


def audit_references(item: CatalogItem) -> list[tuple[str, list[str]]]:
    """ARK/ADR norms of a maatregel, from its front matter and the norms table together."""
    numbers: dict[str, list[str]] = {}

    def add(framework: str, number: object) -> None:
        text = str(number).strip() if number is not None else ""
        if text and text not in numbers.setdefault(framework, []):
            numbers[framework].append(text)

    for framework, values in (item.sources or {}).items():
        for value in values if isinstance(values, list) else [values]:
            add(str(framework).upper(), value)
    for norm in item.norms.all():
        add(norm.framework, norm.number)
    names = dict(AuditNorm.Framework.choices)
    return [
        (f"{names[framework]} ({framework})" if framework in names else framework, values)
        for framework, values in sorted(numbers.items())
        if values
    ]
