from django.urls import path

from tracker.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.algorithm_log, name="algorithm"),
]
