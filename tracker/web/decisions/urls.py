from django.urls import path

from tracker.web.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("nieuw/", views.record, name="record"),
    path("<int:pk>/", views.detail, name="detail"),
    path("voorwaarde/<int:pk>/vervuld/", views.condition_done, name="condition_done"),
]
