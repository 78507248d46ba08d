from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from tracker.access import is_portfolio_viewer


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Managers (portfolio viewers) land on the portfolio, everyone else on their
    algorithms. After login too: LOGIN_REDIRECT_URL is this page."""
    if is_portfolio_viewer(request.user):
        return redirect("dashboards:portfolio")
    return redirect("algorithms:list")
