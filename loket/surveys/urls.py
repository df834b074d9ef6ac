"""The public SKM form, reached from the QR of a dossier's receipt."""

from django.urls import path

from loket.surveys import views

app_name = "surveys"

urlpatterns = [
    path("skm/<str:code>/", views.form, name="form"),
]
