"""The URLs of the dashboard benchmark (``manage.py bench_dashboards``): the app's own,
plus a floor page that the benchmark alone mounts (never the app): the base layout with
one query, so every page's time can be given as a ratio to it, measured in the same run."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from algokader.urls import urlpatterns as app_urlpatterns
from tracker.algorithms.models import Algorithm

FLOOR_NAME = "bench_floor"


@login_required
@require_GET
def floor(request):
    return render(request, "bench/floor.html", {"count": Algorithm.objects.count()})


urlpatterns = [*app_urlpatterns, path("__bench__/ondergrens/", floor, name=FLOOR_NAME)]
