from django.urls import path

from loket.leadership import views

app_name = "leadership"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("terlambat/", views.late, name="late"),
    path("menunggu/", views.waiting, name="waiting"),
    path("kinerja/", views.report, name="report"),
    path("kinerja/terlambat/", views.report_late, name="report_late"),
    path("kinerja/unduh.xlsx", views.report_xlsx, name="report_xlsx"),
    path("kinerja/unduh.pdf", views.report_pdf, name="report_pdf"),
    path("kinerja/publikasi/", views.publish, name="publish"),
    path("pengawasan/", views.oversight_list, name="oversight"),
    path("pengawasan/tindak-lanjut/", views.oversight_note, name="oversight_note"),
    path("evaluasi/", views.evaluation_list, name="evaluation"),
    path("evaluasi/<int:user_id>/", views.evaluation_sheet, name="evaluation_sheet"),
    path("evaluasi/<int:user_id>/rincian/", views.evaluation_trail, name="evaluation_trail"),
    path("evaluasi/<int:user_id>/lembar.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluasi/<int:user_id>/penilaian/", views.evaluation_assess, name="evaluation_assess"),
]
