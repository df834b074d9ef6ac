"""The office's register of processing, its privacy officer and its retention periods, kept by the
office's admin, and the record of retention runs, read-only (each office sees only its own rows:
loket/offices/admin_scope.py)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from loket.offices.admin_scope import OfficeScopedAdmin
from loket.privacy.models import Officer, Processing, RetentionPeriod, RetentionRun
from loket.privacy.retention_defaults import kind_of, period_choices

MAX_MONTHS = 1200  # a hundred years: longer is a typing mistake


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


class RetentionPeriodForm(forms.ModelForm):
    """The record type is one of the schedule's (loket/privacy/data/retention.yaml)."""

    kind = forms.ChoiceField(label="Jenis catatan", choices=[])

    class Meta:
        model = RetentionPeriod
        fields = ["office", "kind", "months", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = period_choices()
        self.fields["months"].label = "Masa simpan (bulan)"
        self.fields["months"].help_text = (
            "Sesudah catatan selesai (berkas diserahkan, pengaduan ditutup, ...), disimpan sekian bulan; "
            "lalu `loket retention --apply` menganonimkan atau menghapusnya. 0: segera sesudah selesai.")
        self.fields["source"].label = "Dasar"
        self.fields["source"].help_text = ("Dari mana masa ini: nomor dan baris Jadwal Retensi Arsip kantor, "
                                           "peraturan, atau keputusan kantor.")

    def clean_months(self):
        months = self.cleaned_data["months"]
        if months is not None and months > MAX_MONTHS:
            raise forms.ValidationError(f"Paling lama {MAX_MONTHS} bulan ({MAX_MONTHS // 12} tahun).")
        return months


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(OfficeScopedAdmin):
    """Jangka waktu penyimpanan per jenis catatan (UU 27/2022 Pasal 42-44), read by ``loket
    retention``. Seeded by ``loket setup``; the office changes the months and says why."""

    office_path = "office"
    form = RetentionPeriodForm
    list_display = ["kind_label", "months", "source", "updated_at", "office"]
    list_filter = ["office"]
    ordering = ["office", "kind"]
    readonly_fields = ["what_happens"]

    @admin.display(description="Yang terjadi sesudah masa simpan")
    def what_happens(self, obj):
        kind = kind_of(obj.kind) if obj and obj.pk else None
        return kind.what if kind else "-"

    @admin.display(description="Jenis catatan", ordering="kind")
    def kind_label(self, obj):
        kind = kind_of(obj.kind)
        return kind.label if kind else obj.kind

    def has_delete_permission(self, request, obj=None):
        return False  # change the months instead; without a row the shipped period applies again


@admin.register(RetentionRun)
class RetentionRunAdmin(OfficeScopedAdmin):
    """Pelaksanaan retensi: what each ``loket retention --apply`` did (counts only). Read-only:
    the office's proof that data were removed when due."""

    office_path = "office"
    list_display = ["at", "by", "summary", "office"]
    list_filter = ["office"]
    fields = ["office", "at", "by", "details"]
    readonly_fields = fields

    @admin.display(description="Ringkasan")
    def summary(self, obj):
        a = sum(c.get("anonymised", 0) for c in obj.counts.values())
        d = sum(c.get("deleted", 0) for c in obj.counts.values())
        return f"{a} dianonimkan, {d} dihapus"

    @admin.display(description="Rincian per jenis catatan")
    def details(self, obj):
        lines = []
        for name, c in obj.counts.items():
            kind = kind_of(name)
            lines.append(f"{kind.label if kind else name}: {c.get('anonymised', 0)} dianonimkan, "
                         f"{c.get('deleted', 0)} dihapus (masa {c.get('months')} bulan, batas {c.get('cutoff')})")
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
