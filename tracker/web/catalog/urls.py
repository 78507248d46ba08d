from django.urls import path

from tracker.web.catalog import compare_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("vergelijken/", compare_views.compare_releases, name="compare"),
    path("<str:release>/<str:kind>/<str:slug>/", views.item_detail, name="item"),
]
