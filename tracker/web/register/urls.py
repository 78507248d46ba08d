from django.urls import path

from tracker.web.register import views

app_name = "register"

urlpatterns = [
    path("", views.entry, name="entry"),
    path("opslaan/", views.save, name="save"),
    path("exporteren/", views.export, name="export"),
    path("exports/<int:pk>/", views.download, name="download"),
    path("voorbeeld/", views.preview, name="preview"),
]
