"""Catalog in the Django admin: a draft edition is edited here; an active or archived edition
is shown read-only, and the next one is started with the "copy" action. An office's Admin sees
its own office's editions only (loket/offices/admin_scope.py)."""

from django.contrib import admin, messages
from django.db.models import Max

from loket.catalog import services
from loket.catalog.models import Edition, ProcedureStep, Requirement, ServiceType, Tariff
from loket.offices.admin_scope import OfficeScopedAdmin, OfficeScopedInline, admin_office


def _editable(obj) -> bool:
    edition = obj if isinstance(obj, Edition) else getattr(obj, "edition", None)
    return edition is None or edition.is_editable


class _PartInline(OfficeScopedInline, admin.TabularInline):
    office_path = "service__edition__office"
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


class RequirementInline(_PartInline):
    model = Requirement
    fields = ["order", "text", "show_original", "group", "condition", "condition_key"]


class ProcedureStepInline(_PartInline):
    model = ProcedureStep
    fields = ["order", "text"]


class TariffInline(_PartInline):
    model = Tariff
    fields = ["order", "code", "label", "kind", "start", "end", "quantity", "unit", "unit_price"]


@admin.register(Edition)
class EditionAdmin(OfficeScopedAdmin):
    office_path = "office"
    list_display = ["title", "office", "year", "status", "signed_on", "signer_name"]
    list_filter = ["status", "office"]
    readonly_fields = ["status", "based_on", "activated_at", "archived_at", "source", "created_at"]
    actions = ["copy_to_next_year", "activate"]

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    @admin.action(description="Salin menjadi draf edisi tahun berikutnya", permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for edition in queryset:
            last = Edition.objects.filter(office=edition.office).aggregate(y=Max("year"))["y"]
            try:
                new = services.edition_copy(edition=edition, year=last + 1)
            except services.EditionError as exc:
                self.message_user(request, exc.messages[0], messages.ERROR)
            else:
                self.message_user(request, f"Draf edisi {new.year} dibuat dari edisi {edition.year}.", messages.SUCCESS)

    @admin.action(description="Berlakukan edisi draf ini (edisi yang berlaku diarsipkan)", permissions=["add"])
    def activate(self, request, queryset):
        for edition in queryset:
            try:
                services.edition_activate(edition=edition)
            except services.EditionError as exc:
                self.message_user(request, exc.messages[0], messages.ERROR)
            else:
                self.message_user(request, f"Edisi {edition.year} kini berlaku.", messages.SUCCESS)


@admin.register(ServiceType)
class ServiceTypeAdmin(OfficeScopedAdmin):
    office_path = "edition__office"
    list_display = ["number", "short_name", "edition", "unit", "duration_text", "fee_kind"]
    list_filter = ["edition__office", "edition", "unit", "fee_kind"]
    search_fields = ["name", "short_name", "code"]
    inlines = [RequirementInline, ProcedureStepInline, TariffInline]
    list_select_related = ["edition", "unit"]

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        drafts = Edition.objects.filter(status=Edition.Status.DRAFT)
        office = admin_office(request)  # None: the superuser, any office's draft
        return (drafts.filter(office=office) if office else drafts).exists()

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "edition":
            kwargs["queryset"] = Edition.objects.filter(status=Edition.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
