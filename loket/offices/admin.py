"""Offices, staff, holidays and staff absences in the Django admin, each office's Admin seeing
its own office only (``admin_scope``). Staff accounts are managed here, not in Django's user
admin (which is the platform superuser's only): create with a one-time password shown once,
change role and unit, deactivate, give a new one-time password."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from loket.offices import services
from loket.offices.admin_scope import OfficeScopedAdmin, OfficeScopedInline, is_platform, superuser_only
from loket.offices.models import Absence, ActingAppointment, Holiday, Kelurahan, Office, Staff, Unit, WorkingHours

# Accounts, groups and login records belong to no office: the platform superuser's only.
for _model in (get_user_model(), Group):
    superuser_only(_model)
try:  # django-axes' access attempts and logs (usernames and addresses of every office)
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for _model in (AccessAttempt, AccessLog, AccessFailureLog):
        superuser_only(_model)
except ImportError:  # pragma: no cover - axes is a dependency
    pass


class UnitInline(OfficeScopedInline, admin.TabularInline):
    model = Unit
    office_path = "office"
    extra = 0


class KelurahanInline(OfficeScopedInline, admin.TabularInline):
    model = Kelurahan
    office_path = "office"
    extra = 0


class WorkingHoursInline(OfficeScopedInline, admin.TabularInline):
    """Jam kerja per hari: empty means Perpres 21/2023's (offices.hours.DEFAULT_HOURS)."""

    model = WorkingHours
    office_path = "office"
    extra = 0
    verbose_name_plural = "jam kerja (kosong: Senin–Kamis 07.30–16.00, Jumat 07.30–16.30, Perpres 21/2023)"


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    """An office's Admin edits its own office's details (shown on the public pages), units and
    kelurahan; only the platform superuser adds or removes an office or changes its slug
    (the public address) and Kemendagri region code."""

    office_path = "pk"
    list_display = ["name", "city", "region_code", "telephone"]
    inlines = [UnitInline, KelurahanInline, WorkingHoursInline]
    fieldsets = [
        (None, {"fields": ["slug", "region_code", "name", "city", "province"]}),
        ("Kop surat", {"fields": ["government", "emblem", "address", "postal_code", "telephone", "fax", "email",
                                  "website"]}),
        ("Nomor surat", {"fields": ["letter_unit_code", "letter_number_format"]}),
        ("Pimpinan", {"fields": ["head_title", "head_name", "head_rank", "head_nip"]}),
        ("Layanan", {"fields": ["opening_hours", "social", "sms_wa", "maklumat"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [] if is_platform(request) else ["slug", "region_code"]

    def has_add_permission(self, request):
        return is_platform(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_platform(request) and super().has_delete_permission(request, obj)


class StaffForm(forms.ModelForm):
    """A staff member and the account they log in with, in one plain form."""

    username = forms.CharField(
        label="Nama pengguna", max_length=150,
        help_text="Untuk masuk, mis. budi.santoso (huruf, angka, . @ + - _). Tidak dapat diubah sesudahnya.",
    )
    full_name = forms.CharField(label="Nama lengkap", max_length=150, required=False)
    # The model's own full_name (the titled name printed under a signature) has another name in the
    # form: "full_name" here is the account's name, as it always was.
    titled_name = forms.CharField(
        label="Nama bergelar (dicetak)", max_length=150, required=False,
        help_text='Nama dengan gelar akademik seperti dicetak di bawah tanda tangan, mis. "Dra. SITI AMINAH, M.Si.".',
    )
    active = forms.BooleanField(
        label="Aktif", required=False,
        help_text="Hapus centang untuk menonaktifkan: pegawai tidak dapat masuk lagi; riwayatnya tetap.",
    )
    actor = None  # the admin using the form (set by StaffAdmin.get_form)

    class Meta:
        model = Staff
        fields = ["office", "role", "unit", "position", "nip", "rank"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titled_name"].initial = self.instance.full_name
        if self.instance.pk:
            del self.fields["username"]
            user = self.instance.user
            self.fields["full_name"].initial = user.get_full_name()
            self.fields["active"].initial = user.is_active
        else:
            del self.fields["active"]

    def clean(self):
        cleaned = super().clean()
        office = cleaned.get("office") if "office" in self.fields else self.instance.office
        user = self.instance.user if self.instance.pk else None
        try:
            services.staff_check(
                office=office, role=cleaned.get("role", ""), unit=cleaned.get("unit"),
                username=cleaned.get("username"), full_name=cleaned.get("full_name", ""), user=user,
            )
        except ValidationError as exc:
            for name, problems in exc.message_dict.items():
                if name not in self.errors:  # a field refused already says why
                    self.add_error(name if name in self.fields else None, problems)
        if user is not None and cleaned.get("active") is False and self.actor is not None and self.actor.pk == user.pk:
            self.add_error("active", "Anda tidak dapat menonaktifkan akun Anda sendiri.")
        return cleaned


@admin.register(Staff)
class StaffAdmin(OfficeScopedAdmin):
    """Pegawai of the admin's office. Superuser accounts are not listed for an office's Admin."""

    office_path = "office"
    form = StaffForm
    list_display = ["username", "full_name", "role", "unit", "position", "active", "office"]
    list_filter = ["office", "role", "unit", "user__is_active"]
    list_select_related = ["user", "office", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "position", "nip"]
    actions = ["deactivate"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["username", "full_name", "titled_name", "office", "role", "unit", "position", "nip", "rank"]
        else:
            fields = ["login_name", "full_name", "titled_name", "active", "office", "role", "unit", "position", "nip",
                      "rank", "password_link", "last_login"]
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request, obj=None):
        return ["login_name", "password_link", "last_login"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if is_platform(request) else qs.exclude(user__is_superuser=True)

    # --- columns and read-only lines ------------------------------------------------------

    @admin.display(description="nama pengguna", ordering="user__username")
    def username(self, obj):
        return obj.user.username

    login_name = username

    @admin.display(description="nama")
    def full_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description="aktif", boolean=True, ordering="user__is_active")
    def active(self, obj):
        return obj.user.is_active

    @admin.display(description="terakhir masuk")
    def last_login(self, obj):
        return obj.user.last_login or "-"

    @admin.display(description="sandi")
    def password_link(self, obj):
        url = reverse("admin:offices_staff_password_reset", args=[obj.pk])
        return format_html('<a href="{}">Buat sandi sekali pakai baru …</a>', url)

    # --- saving through the acts ------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        obj.full_name = data.get("titled_name", "").strip()
        if change:
            services.staff_save(staff=obj, actor=request.user, full_name=data.get("full_name", ""),
                                active=data.get("active"))
            return
        password = services.password_generate()
        staff = services.staff_create(
            actor=request.user, office=obj.office, username=data["username"], role=obj.role, unit=obj.unit,
            position=obj.position, nip=obj.nip, full_name=data.get("full_name", ""), password=password,
            titled_name=obj.full_name, rank=obj.rank,
        )
        obj.pk, obj.user = staff.pk, staff.user
        obj._state.adding = False
        request._loket_one_time_password = password

    def response_add(self, request, obj, post_url_continue=None):
        password = getattr(request, "_loket_one_time_password", None)
        if password is None:
            return super().response_add(request, obj, post_url_continue)
        return self._password_page(request, obj, password, created=True)

    def _password_page(self, request, obj, password, *, created):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "staff": obj, "password": password, "created": created,
            "title": "Sandi sekali pakai",
        }
        return TemplateResponse(request, "admin/offices/staff/password_shown.html", context)

    # --- a new one-time password ---------------------------------------------------------------

    def get_urls(self):
        return [
            path("<path:object_id>/sandi-baru/", self.admin_site.admin_view(self.password_reset_view),
                 name="offices_staff_password_reset"),
            *super().get_urls(),
        ]

    def password_reset_view(self, request, object_id):
        staff = self.get_object(request, unquote(object_id))
        if staff is None:
            raise Http404("Pegawai tidak ditemukan.")
        if not self.has_change_permission(request, staff):
            raise PermissionDenied
        if request.method == "POST":
            password = services.staff_password_reset(staff=staff, actor=request.user)
            self.log_change(request, staff, "Sandi sekali pakai baru dibuat; sesi lama diakhiri.")
            from loket.core import once  # the kit's single-use forms (the page shows the password once)

            once.done(request, note=f"Sandi sekali pakai baru untuk {staff.user.username} sudah dibuat; sandi hanya "
                                    "ditampilkan sekali.",
                      url=reverse("admin:offices_staff_change", args=[staff.pk]))
            return self._password_page(request, staff, password, created=False)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "staff": staff, "title": "Buat sandi sekali pakai baru",
        }
        return TemplateResponse(request, "admin/offices/staff/password_reset.html", context)

    @admin.action(description="Nonaktifkan akun terpilih", permissions=["change"])
    def deactivate(self, request, queryset):
        done = 0
        for staff in queryset.select_related("user", "office"):
            try:
                services.staff_deactivate(staff=staff, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{staff.user.username}: {' '.join(exc.messages)}", messages.ERROR)
            except PermissionDenied as exc:
                self.message_user(request, f"{staff.user.username}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} akun dinonaktifkan.", messages.SUCCESS)


@admin.register(Holiday)
class HolidayAdmin(OfficeScopedAdmin):
    """Hari libur nasional, cuti bersama and an office's own holidays: skipped in working days.
    National rows (no office) are the superuser's; an office's Admin reads them and keeps its
    own local holidays."""

    office_path = "office"
    shared_when_null = True
    list_display = ["date", "name", "kind", "office"]
    list_filter = ["kind", "office"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind" and not is_platform(request):
            kwargs["choices"] = [(Holiday.Kind.LOCAL.value, Holiday.Kind.LOCAL.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(ActingAppointment)
class ActingAppointmentAdmin(OfficeScopedAdmin):
    """Plt./Plh. of the Camat or the Sekcam in the admin's office: who, on which written order,
    from when to when. Papers printed in that time are signed "Plt. CAMAT …" / "Plh. …"."""

    office_path = "office"
    list_display = ["post", "kind", "person", "starts", "ends", "decree_number", "office"]
    list_filter = ["office", "post", "kind"]
    date_hierarchy = "starts"
    fields = ["office", "post", "kind", "user", "decree_number", "decree_date", "starts", "ends"]

    @admin.display(description="pegawai", ordering="user__username")
    def person(self, obj):
        staff = getattr(obj.user, "staff", None)
        return (staff.full_name if staff and staff.full_name else "") or obj.user.get_full_name() or obj.user.username

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # scoped to the office's staff
        if db_field.name == "user" and field is not None:
            field.queryset = field.queryset.filter(staff__isnull=False, is_active=True).order_by("username")
        return field


@admin.register(Absence)
class AbsenceAdmin(OfficeScopedAdmin):
    """Ketidakhadiran pegawai of the admin's office: cuti, sakit, dinas luar, diklat, izin, from
    when to when (both days counted) and on which paper. The staff evaluation counts each staff
    member's working days present from them (offices.attendance)."""

    office_path = "office"
    list_display = ["staff", "kind", "start", "end", "office"]
    list_filter = ["kind", "office"]
    list_select_related = ["staff__user"]
    date_hierarchy = "start"
    search_fields = ["staff__user__username", "staff__user__first_name", "staff__user__last_name",
                     "staff__full_name", "note"]
    fields = ["office", "staff", "kind", "start", "end", "note"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # scoped to the office's staff
        if db_field.name == "staff" and field is not None:
            field.queryset = (field.queryset.filter(user__is_active=True).select_related("user")
                              .order_by("user__username"))
        return field
