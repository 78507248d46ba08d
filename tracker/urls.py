from django.urls import include, path

from tracker import views

algorithm_urls = [
    path("checklist/", include("tracker.checklist.urls")),
    path("bewijs/", include("tracker.evidence.urls")),
    path("risicos/", include("tracker.risks.urls")),
    path("logboek/", include("tracker.audit.urls")),
    path("gate/", include("tracker.gates.urls")),
    path("besluiten/", include("tracker.decisions.urls")),
    path("dossier/", include("tracker.exports.urls")),
    path("pilot/", include("tracker.pilots.urls")),
    path("dashboard/", include("tracker.dashboards.algorithm_urls")),
    path("algoritmeregister/", include("tracker.register.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("tracker.accounts.urls")),
    path("catalogus/", include("tracker.catalog.urls")),
    path("algoritmes/", include("tracker.algorithms.urls")),
    path("portfolio/", include("tracker.dashboards.urls")),
    path("algoritmes/<slug:slug>/", include(algorithm_urls)),
    path("", include("tracker.decision_aid.urls")),
]
