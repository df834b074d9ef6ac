from django.contrib import admin

from loket.deeds.models import Setting, TaxRule


@admin.register(TaxRule)
class TaxRuleAdmin(admin.ModelAdmin):
    """The thresholds above which an SSB (BPHTB) or SSP (PPh) proof is required, per deed kind."""

    list_display = ("office", "deed_kind", "tax", "above")
    list_filter = ("office", "deed_kind", "tax")


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    list_display = ("office", "fee_rate", "updated_at")
