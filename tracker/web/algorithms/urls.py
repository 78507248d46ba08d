from django.urls import path

from tracker.web.algorithms import member_views, release_views, views

app_name = "algorithms"
urlpatterns = [
    path("", views.algorithm_list, name="list"),
    path("nieuw/", views.algorithm_create, name="create"),
    path("<slug:slug>/", views.algorithm_detail, name="detail"),
    path("<slug:slug>/bewerken/", views.algorithm_edit, name="edit"),
    path("<slug:slug>/profiel/", views.algorithm_profile, name="profile"),
    path("<slug:slug>/release/", release_views.release_upgrade, name="release"),
    path("<slug:slug>/niet-van-toepassing/", views.not_applicable, name="not_applicable"),
    path("<slug:slug>/leden/", member_views.member_list, name="members"),
    path("<slug:slug>/leden/toevoegen/", member_views.member_add, name="member_add"),
    path("<slug:slug>/leden/<int:pk>/rol/", member_views.member_role, name="member_role"),
    path(
        "<slug:slug>/leden/<int:pk>/verwijderen/", member_views.member_remove, name="member_remove"
    ),
]
