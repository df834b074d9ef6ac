"""Office-scoped administration: an office's Admin sees and changes only its own office's rows.

One install serves several kecamatan on one database, and the Django admin is where each
office's Admin keeps its catalog, staff, holidays, venues and settings. Every ModelAdmin of an
office's data is an ``OfficeScopedAdmin`` (every inline an ``OfficeScopedInline``) and declares
``office_path``, the lookup from its model to ``Office`` (``"office"``, ``"edition__office"``,
``"service__edition__office"``; ``"pk"`` for ``Office`` itself). For anyone who is not the
platform superuser it then:

- limits every list, change, delete and history page, every action and every autocomplete to
  the rows of the admin's office (another office's row is "not found");
- limits every foreign-key and many-to-many choice to rows of that office (a forged POST
  naming another office's row fails the form's "valid choice" check);
- shows list filters only with the values of its own rows, and no office filter or column;
- gives nothing at all to a staff account without an office.

For everybody, superuser included, a form is refused when the rows it points at belong to
different offices (e.g. a service of office A with a unit of office B).

Platform data that no office owns (accounts, groups, permissions, login attempts) is
``SuperuserOnlyMixin``: shown to the platform superuser only (``loket createsuperuser``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Q

from loket.offices.models import Kelurahan, Office, Unit
from loket.offices.roles import staff_of

# Models without a ModelAdmin of their own (edited in an inline, or not at all): their way to
# the office. Models with a scoped ModelAdmin are looked up on the admin site.
OFFICE_PATHS: dict[type, str] = {Office: "pk", Unit: "office", Kelurahan: "office"}

OTHER_OFFICE = "Pilihan ini milik kantor kecamatan lain; pilih data kantor yang sama."


def is_platform(request) -> bool:
    """The platform superuser (``loket createsuperuser``): sees every office."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


def admin_office(request) -> Office | None:
    """The office whose rows the request may see; None for the platform superuser and for an
    account without an office (``may_administer`` tells them apart)."""
    if is_platform(request):
        return None
    staff = staff_of(request.user)
    return staff.office if staff is not None else None


def may_administer(request) -> bool:
    """The superuser, or an account that belongs to an office."""
    return is_platform(request) or staff_of(request.user) is not None


def office_path_of(model) -> str | None:
    """How rows of ``model`` reach their office, or None when they belong to no office. An
    account reaches it through its Staff row (a choice of "which staff member", e.g. a Plt.);
    the accounts themselves stay the superuser's in the admin."""
    if model in OFFICE_PATHS:
        return OFFICE_PATHS[model]
    if model is get_user_model():
        return "staff__office"
    return getattr(admin.site._registry.get(model), "office_path", None)


def office_id_of(obj, path: str):
    """The office id of ``obj`` by following ``path`` (None for an office-less row)."""
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    last = parts[-1]
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)


def scope(queryset, path: str, office: Office, *, shared_when_null: bool = False):
    """``queryset`` limited to ``office``; with ``shared_when_null`` rows without an office
    (national data, e.g. national holidays) stay in it."""
    mine = Q(**{path: office.pk})
    if shared_when_null:
        mine |= Q(**{f"{path}__isnull": True})
    return queryset.filter(mine)


class OfficeScopedMixin:
    """The common part of ``OfficeScopedAdmin`` and ``OfficeScopedInline``."""

    office_path: str = ""  # lookup from the model to Office; every subclass sets it
    shared_when_null = False  # rows whose office is empty are national: read-only for an office

    def _path_for(self, obj) -> str | None:
        # An inline's permission methods get the parent object, not one of its own rows.
        return self.office_path if isinstance(obj, self.model) else office_path_of(type(obj))

    def _is_mine(self, request, obj) -> bool:
        if not may_administer(request):
            return False
        if obj is None or is_platform(request):
            return True
        path = self._path_for(obj)
        return path is not None and office_id_of(obj, path) == admin_office(request).pk

    def _is_shared(self, obj) -> bool:
        return self.shared_when_null and isinstance(obj, self.model) and office_id_of(obj, self.office_path) is None

    # --- rows -------------------------------------------------------------------------------

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not may_administer(request):
            return qs.none()
        if is_platform(request):
            return qs
        return scope(qs, self.office_path, admin_office(request), shared_when_null=self.shared_when_null)

    # --- permissions: nothing without an office; only its own rows; national rows read-only --

    def has_view_permission(self, request, obj=None):
        mine = self._is_shared(obj) and may_administer(request) or self._is_mine(request, obj)
        return mine and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        obj = args[0] if args else None  # an inline gets the parent
        return self._is_mine(request, obj) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if self._is_shared(obj) and not is_platform(request):
            return False
        return self._is_mine(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._is_shared(obj) and not is_platform(request):
            return False
        return self._is_mine(request, obj) and super().has_delete_permission(request, obj)

    # --- choices -------------------------------------------------------------------------------

    def _scope_choices(self, request, db_field, formfield):
        if formfield is None or not hasattr(formfield, "queryset") or is_platform(request):
            return formfield
        office = admin_office(request)
        if office is None:
            formfield.queryset = formfield.queryset.none()
            return formfield
        target = db_field.remote_field.model
        path = office_path_of(target)
        if path is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__}.{db_field.name}: {target._meta.label} has no way to its office; "
                "add it to loket.offices.admin_scope.OFFICE_PATHS or give it an OfficeScopedAdmin."
            )
        formfield.queryset = scope(formfield.queryset, path, office)
        if target is Office:
            formfield.empty_label = None  # its own office, already chosen
            formfield.required = True
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scope_choices(request, db_field, field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scope_choices(request, db_field, field)


class OfficeScopedAdmin(OfficeScopedMixin, admin.ModelAdmin):
    """A ModelAdmin of one office's data."""

    def has_module_permission(self, request):
        return may_administer(request) and super().has_module_permission(request)

    def get_form(self, request, obj=None, **kwargs):
        return same_office_form(super().get_form(request, obj, **kwargs), self.office_path)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        office = admin_office(request)
        if office is not None and self.office_path == "office":
            initial.setdefault("office", office.pk)
        return initial

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if is_platform(request):
            return filters
        out = []
        for f in filters:
            if isinstance(f, str) and (f in (self.office_path, "office") or f.endswith("__office")):
                continue  # one office: nothing to filter
            if isinstance(f, str) and _is_foreign_key(self.model, f):
                f = (f, RelatedOnlyFieldListFilter)  # only the values its own rows have
            out.append(f)
        return out

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not is_platform(request) and "office" in columns and len(columns) > 1:
            columns.remove("office")
        return columns


class OfficeScopedInline(OfficeScopedMixin):
    """Mixed in before TabularInline/StackedInline for an office's data."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = same_office_form(formset.form, self.office_path, parent=obj)
        return formset


def _is_foreign_key(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(field.many_to_one or field.one_to_one)


def same_office_form(form_class, office_path: str, parent=None):
    """``form_class`` with a check that every row it points at belongs to one office."""

    class SameOfficeForm(form_class):
        def clean(self):
            cleaned = super().clean()
            _check_one_office(self, office_path, parent)
            return cleaned

    SameOfficeForm.__name__ = form_class.__name__
    return SameOfficeForm


def _check_one_office(form, office_path: str, parent) -> None:
    first = office_path.split("__")[0]
    offices: dict[str, object] = {}
    for name, value in (form.cleaned_data or {}).items():
        path = office_path_of(type(value)) if hasattr(value, "_meta") else None
        if path is not None and office_id_of(value, path) is not None:
            offices[name] = office_id_of(value, path)
    if first != "pk" and first not in offices:
        # the row's own office: from the stored row, else from the inline's parent
        own = office_id_of(form.instance, office_path) if getattr(form.instance, f"{first}_id", None) else None
        if own is None and parent is not None and office_path_of(type(parent)):
            own = office_id_of(parent, office_path_of(type(parent)))
        if own is not None:
            offices[None] = own
    if len(set(offices.values())) > 1:
        culprit = next((n for n in offices if n not in (None, first)), None)
        form.add_error(culprit if culprit in form.fields else None, ValidationError(OTHER_OFFICE, code="other_office"))


class SuperuserOnlyMixin:
    """Platform data (accounts, groups, permissions, login records): the superuser only."""

    def has_module_permission(self, request):
        return is_platform(request)

    def has_view_permission(self, request, obj=None):
        return is_platform(request)

    def has_add_permission(self, request, *args):
        return is_platform(request)

    def has_change_permission(self, request, obj=None):
        return is_platform(request)

    def has_delete_permission(self, request, obj=None):
        return is_platform(request)


def superuser_only(model) -> None:
    """Register ``model``'s ModelAdmin again (Django's, django-axes') for the superuser only."""
    current = admin.site._registry.get(model)
    if current is None or isinstance(current, SuperuserOnlyMixin):
        return
    cls = type(current)
    admin.site.unregister(model)
    admin.site.register(model, type(f"SuperuserOnly{cls.__name__}", (SuperuserOnlyMixin, cls), {}))
