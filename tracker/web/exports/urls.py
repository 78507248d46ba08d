from django.urls import path

from tracker.web.exports import views

app_name = "exports"
urlpatterns = [
    path("pdf/", views.pdf_start, name="pdf"),
    path("pdf/<uuid:job>/", views.pdf_status, name="pdf_status"),
    path("pdf/<uuid:job>/download/", views.pdf_download, name="pdf_download"),
    path("json/", views.json, name="json"),
    path("csv/", views.csv, name="csv"),
]
