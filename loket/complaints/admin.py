from django.contrib import admin

from loket.complaints.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The category tree "dikelompokkan sesuai dengan permasalahannya", kept by the admin."""

    list_display = ["__str__", "office", "target_days", "order", "active"]
    list_filter = ["office", "active"]
    list_select_related = ["office", "parent"]
    search_fields = ["name"]
