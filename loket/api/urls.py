"""Staff screen of API tokens (/staf/token/): office admins and superusers."""

from django.urls import path

from loket.api import views

app_name = "tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("baru/", views.token_new, name="new"),
    path("<int:pk>/cabut/", views.token_revoke, name="revoke"),
]
