from django.contrib import admin

from loket.complaints.models import Category
from loket.offices.admin_scope import OfficeScopedAdmin


@admin.register(Category)
class CategoryAdmin(OfficeScopedAdmin):
    """The category tree "dikelompokkan sesuai dengan permasalahannya", kept by the admin."""

    office_path = "office"

    list_display = ["__str__", "office", "target_days", "order", "active"]
    list_filter = ["office", "active"]
    list_select_related = ["office", "parent"]
    search_fields = ["name"]
