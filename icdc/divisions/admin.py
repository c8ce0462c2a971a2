from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Division

FLAGS = ("can_apply", "applies_directly", "is_application_channel", "is_municipality", "is_separately_planned",
         "is_sub_provincial")


def _yes_no(name):
    """A flag shown as 是/否: Django draws booleans as icons whose text is "True"/"False" in
    English whatever the language, so the Chinese admin would read English to a screen reader."""

    @admin.display(description=Division._meta.get_field(name).verbose_name, ordering=name)
    def show(self, obj):
        return gettext("是") if getattr(obj, name) else gettext("否")

    return show


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    """View-only: rows come from the shipped data file (manage.py load_divisions), and an
    edit here would be silently undone by the next load."""

    list_display = ("code", "name", "short_name", "kind", "parent", *(f"{flag}_text" for flag in FLAGS))
    list_filter = ("level", "kind", *FLAGS)
    search_fields = ("code", "name", "short_name")
    list_select_related = ("parent",)
    list_per_page = 50
    readonly_fields = tuple(f"{flag}_text" for flag in FLAGS)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "level", "kind", "parent")}),
        (_("申报资格"), {"fields": ("can_apply_text", "applies_directly_text", "is_application_channel_text")}),
        (_("城市类别"), {"fields": ("is_municipality_text", "is_separately_planned_text", "is_sub_provincial_text")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _flag in FLAGS:
    setattr(DivisionAdmin, f"{_flag}_text", _yes_no(_flag))
