"""Staff screens of the deeds (akta tanah, the Camat as PPAT), under /staf/akta/: the work list,
intake, a case with its acts, the Camat's calendar of sidang, the papers, the monthly report
of deeds made and the register of their delivery to the Kantor Pertanahan."""

from django.urls import path

from loket.deeds import report_views, views

app_name = "deeds"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_new, name="new"),
    path("kalender/", views.calendar, name="calendar"),
    path("tarif/", views.fee_rate, name="fee_rate"),
    path("laporan/", report_views.report, name="report"),
    path("laporan.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("laporan.pdf", report_views.report_pdf, name="report_pdf"),
    path("penyampaian/", report_views.delivery, name="delivery"),
    path("penyampaian.xlsx", report_views.delivery_xlsx, name="delivery_xlsx"),
    path("penyampaian.pdf", report_views.delivery_pdf, name="delivery_pdf"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/kertas/<slug:paper>.pdf", report_views.paper, name="paper"),
    path("<str:code>/<slug:action>/", views.act, name="act"),
]
