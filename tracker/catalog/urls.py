from django.urls import path

from tracker.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("<str:release>/<str:kind>/<str:slug>/", views.item_detail, name="item"),
]
