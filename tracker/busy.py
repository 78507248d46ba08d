"""A write that cannot get the database answers "probeer het opnieuw", never a 500.

SQLite allows one writer at a time: a writer waits up to the busy timeout (settings,
``SQLITE_BUSY_TIMEOUT``) and then fails with "database is locked". PostgreSQL reports a
lock it gave up on (``lock_timeout``), a deadlock it broke or a serialisation failure.
Nothing was written in any of these cases (the transaction rolled back), so the honest
answer is 503 with a Dutch message and a ``Retry-After``: the user's input is still in
the form and the same submit will work a moment later.
"""

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

SQLITE_BUSY_MESSAGES = ("database is locked", "database table is locked", "database is busy")
# lock_not_available, deadlock_detected, serialization_failure
POSTGRES_RETRY_STATES = {"55P03", "40P01", "40001"}
RETRY_AFTER_SECONDS = 2


def is_busy_error(exc: BaseException) -> bool:
    """Whether ``exc`` means "the database was busy; the same request may succeed later"."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in POSTGRES_RETRY_STATES:
        return True
    message = str(exc).lower()
    return any(text in message for text in SQLITE_BUSY_MESSAGES)


def busy_response(request: HttpRequest) -> HttpResponse:
    htmx = getattr(request, "htmx", False)
    template = "busy.html#message" if htmx else "busy.html"
    response = TemplateResponse(request, template, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response.render()


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_busy_error(exc):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exc)
        return busy_response(request)
