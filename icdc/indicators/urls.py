from django.urls import path, register_converter
from django.urls.converters import StringConverter

from . import statistics_views, views, views_ahp
from .validation import CODE_RE


class CodeConverter(StringConverter):
    """A system or dimension code as ``validation.CODE_RE`` allows it; anything else (e.g. a NUL
    byte, which PostgreSQL refuses in a query: a 500) is a 404 before any view runs."""

    regex = CODE_RE.pattern.strip("^$")


register_converter(CodeConverter, "indicator_code")

app_name = "indicators"

urlpatterns = [
    path("", views.version_list, name="version_list"),
    path("upload/", views.version_upload, name="version_upload"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/yaml/", views.version_yaml, name="version_yaml"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/delete/", views.version_delete, name="version_delete"),
    path("versions/<int:pk>/systems/<indicator_code:system_code>/weights/", views.weights_edit,
         name="weights_edit"),
    path("versions/<int:pk>/systems/<indicator_code:system_code>/ahp/", views_ahp.ahp_derive, name="ahp"),
    path("versions/<int:pk>/systems/<indicator_code:system_code>/ahp/<indicator_code:scope>/", views_ahp.ahp_derive,
         name="ahp_scope"),
    path("indicator/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("statistics/", statistics_views.statistics_list, name="statistics_list"),
    path("statistics/<int:pk>/correct/", statistics_views.figure_correct, name="figure_correct"),
    path("statistics/import/", statistics_views.statistics_import, name="statistics_import"),
    path("statistics/export/", statistics_views.statistics_export, name="statistics_export"),
    path("statistics/template/", statistics_views.statistics_template, name="statistics_template"),
]
