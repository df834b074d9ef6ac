"""Staff screens of the catalog, under /staf/standar/: the evaluation of the standard."""

from django.urls import path

from loket.catalog import staff_views

app_name = "catalog_staff"

urlpatterns = [
    path("evaluasi/", staff_views.evaluation, name="evaluation"),
    path("evaluasi/<int:pk>/putuskan/", staff_views.decide, name="decide"),
]
