"""The public page of the office's published service figures (before the catalog's <office>/ pages)."""

from django.urls import path

from loket.leadership import public_views

app_name = "leadership_public"

urlpatterns = [
    path("<slug:office>/kinerja/", public_views.board, name="board"),
]
