from django.urls import path

from tracker.web.evidence import views

app_name = "evidence"
urlpatterns = [
    path("item/<int:item_pk>/toevoegen/", views.add, name="add"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
]
