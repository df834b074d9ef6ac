from django.urls import path

from loket.registers import views

app_name = "registers"

urlpatterns = [
    path("", views.book, name="book"),
    path("ekspor.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("ekspor.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
]
