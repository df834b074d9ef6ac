from django.urls import path

from loket.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.home, name="home"),
    path("berkas/", views.today, name="today"),
    path("berkas/cari/", views.search, name="search"),
    path("berkas/baru/", views.intake, name="intake"),
    path("berkas/<str:code>/", views.detail, name="detail"),
    path("berkas/<str:code>/<slug:kind>.pdf", views.paper, name="paper"),
    path("berkas/<str:code>/<slug:action>/", views.act, name="act"),
    path("paraf/", views.kasi, name="kasi"),
    path("tanda-tangan/", views.signature, name="signature"),
]
