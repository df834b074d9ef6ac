"""The Buku Register Pelayanan's URLs under /staf/register/; the namespace stays "registers"."""

from django.urls import path

from loket.dossiers import register_book_views as views

app_name = "registers"

urlpatterns = [
    path("", views.book, name="book"),
    path("ekspor.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("ekspor.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
]
