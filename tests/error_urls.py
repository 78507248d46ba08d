"""A test-only URLconf: the app's URLs plus views that fail on purpose, to see the
error pages (never part of the app's own URLconf)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path


def server_error(request):
    raise RuntimeError("a bug")


def bad_request(request):
    raise SuspiciousOperation("a malformed request")


def forbidden(request):
    raise PermissionDenied("not yours")


urlpatterns = [
    path("test-fout/500/", server_error),
    path("test-fout/400/", bad_request),
    path("test-fout/403/", forbidden),
    path("", include("algokader.urls")),
]
