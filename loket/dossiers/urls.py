"""The counter flow's staff URLs under /staf/. The staff home ("") and the search ("berkas/cari/")
of this namespace are the site's (loket/site/desk.py), added in loket/urls.py."""

from django.urls import path

from loket.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("berkas/", views.today, name="today"),
    path("berkas/baru/", views.intake, name="intake"),
    path("berkas/<str:code>/", views.detail, name="detail"),
    path("berkas/<str:code>/<slug:kind>.pdf", views.paper, name="paper"),
    path("berkas/<str:code>/pindaian/", views.attach, name="attach"),  # before the acts' pattern
    path("berkas/<str:code>/surat/<slug:template>/", views.letter, name="letter"),
    path("berkas/<str:code>/pindaian/<int:pk>/", views.attachment, name="attachment"),
    path("berkas/<str:code>/<slug:action>/", views.act, name="act"),
    path("paraf/", views.kasi, name="kasi"),
    path("tanda-tangan/", views.signature, name="signature"),
]
