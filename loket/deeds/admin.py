from django.contrib import admin

from loket.deeds.models import PpatAppointment, Setting, TaxRule
from loket.offices.admin_scope import OfficeScopedAdmin


@admin.register(TaxRule)
class TaxRuleAdmin(OfficeScopedAdmin):
    """The thresholds above which an SSB (BPHTB) or SSP (PPh) proof is required, per deed kind."""

    office_path = "office"

    list_display = ("office", "deed_kind", "cause", "tax", "above", "valid_from", "source")
    list_filter = ("office", "deed_kind", "cause", "tax")


@admin.register(Setting)
class SettingAdmin(OfficeScopedAdmin):
    office_path = "office"
    list_display = ("office", "fee_rate", "updated_at")


@admin.register(PpatAppointment)
class PpatAppointmentAdmin(OfficeScopedAdmin):
    """SK penunjukan Camat sebagai PPAT Sementara (PP 37/1998 Pasal 5 ayat (3)); without one valid
    on the day the Camat cannot sign a deed."""

    office_path = "office"
    list_display = ("office", "staff", "decree_number", "decree_date", "area", "valid_from", "valid_until")
    list_filter = ("office",)
    search_fields = ("decree_number", "staff__full_name")
