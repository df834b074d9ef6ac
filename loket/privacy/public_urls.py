"""The public privacy notice of an office (before the catalog's <office>/ pages)."""

from django.urls import path

from loket.privacy import public_views

app_name = "privacy_public"

urlpatterns = [
    path("<slug:office>/privasi/", public_views.notice, name="notice"),
]
