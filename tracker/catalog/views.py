from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("catalogus")


@require_GET
def item_detail(request: HttpRequest, release: str, kind: str, slug: str) -> HttpResponse:
    return HttpResponse(slug)
