from django.urls import path

from tracker.web.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("export.csv", views.export, name="export"),
    path("risicos/", views.risks, name="risks"),
    path("risicos/lijst/", views.risk_list, name="risk_list"),
]
