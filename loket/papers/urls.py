"""Issued papers under /staf/naskah/ (namespace "papers")."""

from django.urls import path

from loket.papers import views

app_name = "papers"

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/ekspor.xlsx", views.agenda_export, {"fmt": "xlsx"}, name="agenda_xlsx"),
    path("agenda/ekspor.pdf", views.agenda_export, {"fmt": "pdf"}, name="agenda_pdf"),
    path("templat/", views.templates, name="templates"),
    path("templat/<slug:code>.docx", views.template_download, name="template_download"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/pdf", views.document_download, name="download"),
    path("<int:pk>/cetak", views.document_print, name="print"),
    path("<int:pk>/tandatangan", views.document_sign, name="sign"),
]
