from django.urls import path

from tracker.web.gates import views

app_name = "gates"
urlpatterns = [
    path("", views.go_live, name="go_live"),
]
