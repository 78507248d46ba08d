from django.urls import path

from tracker.web.checklist import review_views, views

app_name = "checklist"
urlpatterns = [
    path("", views.checklist, name="list"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/bijwerken/", views.update, name="update"),
    path("<int:pk>/werkinstructie/", views.instruction, name="instruction"),
    path("<int:pk>/opmerking/", views.comment, name="comment"),
    path("<int:pk>/besluit/", views.decide, name="decide"),
    path("<int:pk>/opnieuw-beoordeeld/", review_views.review, name="review"),
]
