from django.urls import path

from tracker.web.decision_aid import views

app_name = "decision_aid"

urlpatterns = [
    path("beslishulp/", views.start, name="start"),
    path("beslishulp/vraag/", views.question, name="question"),
    path("beslishulp/resultaat/", views.result, name="result"),
    path("algoritmes/<slug:slug>/beslishulp/", views.start, name="algorithm_start"),
    path("algoritmes/<slug:slug>/beslishulp/vraag/", views.question, name="algorithm_question"),
    path("algoritmes/<slug:slug>/beslishulp/resultaat/", views.result, name="algorithm_result"),
    path("algoritmes/<slug:slug>/beslishulp/toepassen/", views.apply, name="algorithm_apply"),
]
