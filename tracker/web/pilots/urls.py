from django.urls import path

from tracker.web.pilots import views

app_name = "pilots"
urlpatterns = [
    path("", views.detail, name="detail"),
    path("bewerken/", views.edit, name="edit"),
    path("evaluatie/", views.evaluate, name="evaluate"),
    path("besluit/", views.decide, name="decide"),
]
