from django.contrib import admin

from loket.offices.admin_scope import OfficeScopedAdmin
from loket.rentals.models import HallTreasury, Venue


@admin.register(Venue)
class VenueAdmin(OfficeScopedAdmin):
    """Gedung yang disewakan (komponen 7 of the hall's service); `loket setup` creates the one the
    standard describes, the admin may add others or correct capacity and facilities."""

    office_path = "office"

    list_display = ["name", "office", "capacity", "service_code", "active", "order"]
    list_filter = ["office", "active"]
    list_select_related = ["office"]
    search_fields = ["name", "code"]


@admin.register(HallTreasury)
class HallTreasuryAdmin(OfficeScopedAdmin):
    """Batas setor retribusi ke Kas Daerah (hari kerja) and the Kas Daerah account printed on the
    STS; an office without a row uses 1 working day (docs/rental.md)."""

    office_path = "office"

    list_display = ["office", "deposit_working_days", "kas_daerah"]
    list_select_related = ["office"]
