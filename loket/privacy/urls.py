"""The staff pages of personal-data protection, under /staf/privasi/: the record of who read
what, the data-subject requests and the breach register (each area's views carry its own
patterns)."""

from loket.privacy import access_views, breach_views, request_views, views

app_name = "privacy"

urlpatterns = [*views.urlpatterns, *access_views.urlpatterns, *request_views.urlpatterns, *breach_views.urlpatterns]
