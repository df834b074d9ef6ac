"""Public SKM pages: the form reached from the QR of a dossier's receipt, and the board of the
latest published IKM of an office (before the catalog's <office>/ pages)."""

from django.urls import path

from loket.surveys import board_views, views

app_name = "surveys"

urlpatterns = [
    path("skm/<str:code>/", views.form, name="form"),
    path("<slug:office>/ikm/", board_views.board, name="board"),
]
