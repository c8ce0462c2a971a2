from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Division


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    """View-only: rows come from the shipped data file (manage.py load_divisions), and an
    edit here would be silently undone by the next load."""

    list_display = ("code", "name", "short_name", "kind", "parent", "can_apply", "applies_directly",
                    "is_application_channel", "is_municipality", "is_separately_planned", "is_sub_provincial")
    list_filter = ("level", "kind", "can_apply", "applies_directly", "is_application_channel", "is_municipality",
                   "is_separately_planned", "is_sub_provincial")
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "level", "kind", "parent")}),
        (_("申报资格"), {"fields": ("can_apply", "applies_directly", "is_application_channel")}),
        (_("城市类别"), {"fields": ("is_municipality", "is_separately_planned", "is_sub_provincial")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
