from django.contrib import admin

from loket.offices import services
from loket.offices.models import Holiday, Kelurahan, Office, Staff, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


class KelurahanInline(admin.TabularInline):
    model = Kelurahan
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region_code", "telephone"]
    inlines = [UnitInline, KelurahanInline]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role", "unit", "position"]
    list_filter = ["office", "role", "unit"]
    list_select_related = ["user", "office", "unit"]

    def save_model(self, request, obj, form, change):
        services.staff_save(staff=obj)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Hari libur nasional, cuti bersama and an office's own holidays: skipped in working days."""

    list_display = ["date", "name", "kind", "office"]
    list_filter = ["kind", "office"]
    date_hierarchy = "date"
    search_fields = ["name"]
