from django.urls import path

from tracker.web.dashboards import views

app_name = "algorithm_dashboard"
urlpatterns = [
    path("", views.algorithm_dashboard, name="detail"),
]
