"""Staff screens of complaints, under /staf/pengaduan/."""

from django.urls import path

from loket.complaints import report_views, views

app_name = "complaints"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("semua/", views.complaint_list, name="list"),
    path("terlambat/", views.overdue_list, name="overdue"),
    path("baru/", views.record, name="record"),
    path("laporan/", report_views.report, name="report"),
    path("buku/<int:year>.xlsx", report_views.book_xlsx, name="book_xlsx"),
    path("buku/<int:year>.pdf", report_views.book_pdf, name="book_pdf"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/lampiran/<int:pk>/", views.attachment, name="attachment"),
    path("<str:code>/lapor.xlsx", views.lapor_xlsx, name="lapor_xlsx"),
    path("<str:code>/<slug:action>/", views.act, name="act"),
]
