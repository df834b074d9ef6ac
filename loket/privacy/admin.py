"""The office's register of processing and its privacy officer, kept by the office's admin (each
office sees only its own rows: loket/offices/admin_scope.py)."""

from django.contrib import admin

from loket.offices.admin_scope import OfficeScopedAdmin
from loket.privacy.models import Officer, Processing


@admin.register(Processing)
class ProcessingAdmin(OfficeScopedAdmin):
    """Catatan kegiatan pemrosesan data pribadi: what the public notice /<office>/privasi/ shows."""

    office_path = "office"
    list_display = ["name", "basis", "order", "active", "office"]
    list_filter = ["active", "basis", "office"]
    list_editable = ["order", "active"]
    fields = ["office", "key", "order", "active", "name", "purpose", "data_items", "optional_items", "source",
              "basis", "legal_reference", "readers", "recipients", "retention"]


@admin.register(Officer)
class OfficerAdmin(OfficeScopedAdmin):
    """Pejabat pelindungan data pribadi of the office (UU 27/2022 Pasal 53), shown on the notice."""

    office_path = "office"
    list_display = ["name", "position", "email", "telephone", "office"]
    list_filter = ["office"]
    fields = ["office", "user", "name", "position", "email", "telephone", "decree"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # scoped to the office's staff
        if db_field.name == "user" and field is not None:
            field.queryset = field.queryset.filter(staff__isnull=False, is_active=True).order_by("username")
        return field
