from django.urls import path

from loket.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:office>/", views.home, name="home"),
    path("<slug:office>/layanan/", views.service_list, name="service_list"),
    path("<slug:office>/layanan/<slug:code>/", views.service_detail, name="service_detail"),
    path("<slug:office>/standar-pelayanan.pdf", views.standard_pdf, name="standard_pdf"),
]
