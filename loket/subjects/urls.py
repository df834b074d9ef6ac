"""The copy of a person's data for an access request, under /staf/privasi/subjek/ (namespace
"subjects"): <request code>/data.pdf, <request code>/data.json, and <request code>/catatan/ (the
NIK's records, shown on the request's page)."""

from django.urls import path

from loket.subjects import views

app_name = "subjects"

urlpatterns = [
    path("<str:code>/data.pdf", views.data_pdf, name="data_pdf"),
    path("<str:code>/data.json", views.data_json, name="data_json"),
    path("<str:code>/catatan/", views.records, name="records"),
]
