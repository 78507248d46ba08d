from django.urls import include, path

from tracker import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("tracker.accounts.urls")),
    path("catalogus/", include("tracker.catalog.urls")),
]
