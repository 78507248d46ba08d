from django.urls import path

from tracker.web.risks import views

app_name = "risks"
urlpatterns = [
    path("item/<int:item_pk>/toevoegen/", views.add, name="add"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/accepteren/", views.accept, name="accept"),
    path("<int:pk>/acceptatie-intrekken/", views.revoke, name="revoke"),
]
