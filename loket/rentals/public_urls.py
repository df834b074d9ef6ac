"""The public availability of the hall (free and taken sessions, never who)."""

from django.urls import path

from loket.rentals import public_views

app_name = "rentals_public"

urlpatterns = [
    path("<slug:office>/gedung/", public_views.availability, name="availability"),
]
