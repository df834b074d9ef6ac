"""Public complaint pages: the web form (per office), tracking by code, and the feedback."""

from django.urls import path

from loket.complaints import public_views

app_name = "complaints_public"

urlpatterns = [
    path("pengaduan/lacak/", public_views.track, name="track"),
    path("pengaduan/lacak/<str:code>/", public_views.track_detail, name="track_detail"),
    path("pengaduan/lacak/<str:code>/tanggapan/", public_views.feedback, name="feedback"),
    path("<slug:office>/pengaduan/", public_views.form, name="form"),
]
