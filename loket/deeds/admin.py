from django.contrib import admin

from loket.deeds.models import Setting, TaxRule
from loket.offices.admin_scope import OfficeScopedAdmin


@admin.register(TaxRule)
class TaxRuleAdmin(OfficeScopedAdmin):
    """The thresholds above which an SSB (BPHTB) or SSP (PPh) proof is required, per deed kind."""

    office_path = "office"

    list_display = ("office", "deed_kind", "tax", "above")
    list_filter = ("office", "deed_kind", "tax")


@admin.register(Setting)
class SettingAdmin(OfficeScopedAdmin):
    office_path = "office"
    list_display = ("office", "fee_rate", "updated_at")
