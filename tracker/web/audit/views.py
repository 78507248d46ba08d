"""The audit log of one algorithm: every recorded change, newest first, filterable."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from tracker.access import Capability, get_algorithm_for_user
from tracker.audit.filters import AuditFilterForm
from tracker.http import HtmxHttpRequest

PER_PAGE = 50


@login_required
@require_GET
def algorithm_log(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    algorithm, access = get_algorithm_for_user(request.user, slug, Capability.READ)
    entries = algorithm.audit_entries.all()
    form = AuditFilterForm(request.GET, entries=entries)
    paginator = Paginator(form.apply(entries).order_by("-seq"), PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    context = {
        "algorithm": algorithm,
        "access": access,
        "form": form,
        "page": page,
        "entries": page.object_list,
    }
    template = "audit/algorithm_log.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
