from django.urls import path

from tracker.web.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.algorithm_log, name="algorithm"),
]
