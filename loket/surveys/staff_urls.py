"""Staff SKM screens, under /staf/skm/: the report (with its PDF, XLSX, publication and the
office's weight), the kiosk for a tablet at the counter, and the import of paper forms."""

from django.urls import path

from loket.surveys import report_views, staff_views

app_name = "surveys_staff"

urlpatterns = [
    path("", report_views.report, name="report"),
    path("laporan.pdf", report_views.report_pdf, name="report_pdf"),
    path("laporan.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("publikasi/", report_views.publish, name="publish"),
    path("bobot/", report_views.weight, name="weight"),
    path("kios/", staff_views.kiosk, name="kiosk"),
    path("impor/", staff_views.import_forms, name="import"),
    path("impor/contoh.<str:fmt>", staff_views.import_template, name="import_template"),
]
