from django.urls import include, path

from tracker.web import views

algorithm_urls = [
    path("checklist/", include("tracker.web.checklist.urls")),
    path("bewijs/", include("tracker.web.evidence.urls")),
    path("risicos/", include("tracker.web.risks.urls")),
    path("logboek/", include("tracker.web.audit.urls")),
    path("gate/", include("tracker.web.gates.urls")),
    path("besluiten/", include("tracker.web.decisions.urls")),
    path("dossier/", include("tracker.web.exports.urls")),
    path("pilot/", include("tracker.web.pilots.urls")),
    path("dashboard/", include("tracker.web.dashboards.algorithm_urls")),
    path("algoritmeregister/", include("tracker.web.register.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("tracker.web.accounts.urls")),
    path("catalogus/", include("tracker.web.catalog.urls")),
    path("algoritmes/", include("tracker.web.algorithms.urls")),
    path("portfolio/", include("tracker.web.dashboards.urls")),
    path("algoritmes/<slug:slug>/", include(algorithm_urls)),
    path("", include("tracker.web.decision_aid.urls")),
]
