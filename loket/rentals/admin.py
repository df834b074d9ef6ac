from django.contrib import admin

from loket.offices.admin_scope import OfficeScopedAdmin
from loket.rentals.models import Venue


@admin.register(Venue)
class VenueAdmin(OfficeScopedAdmin):
    """Gedung yang disewakan (komponen 7 of the hall's service); `loket setup` creates the one the
    standard describes, the admin may add others or correct capacity and facilities."""

    office_path = "office"

    list_display = ["name", "office", "capacity", "service_code", "active", "order"]
    list_filter = ["office", "active"]
    list_select_related = ["office"]
    search_fields = ["name", "code"]
