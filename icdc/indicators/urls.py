from django.urls import path

from . import statistics_views, views, views_ahp

app_name = "indicators"

urlpatterns = [
    path("", views.version_list, name="version_list"),
    path("upload/", views.version_upload, name="version_upload"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/yaml/", views.version_yaml, name="version_yaml"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/delete/", views.version_delete, name="version_delete"),
    path("versions/<int:pk>/systems/<str:system_code>/weights/", views.weights_edit, name="weights_edit"),
    path("versions/<int:pk>/systems/<str:system_code>/ahp/", views_ahp.ahp_derive, name="ahp"),
    path("versions/<int:pk>/systems/<str:system_code>/ahp/<str:scope>/", views_ahp.ahp_derive, name="ahp_scope"),
    path("indicator/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("statistics/", statistics_views.statistics_list, name="statistics_list"),
    path("statistics/import/", statistics_views.statistics_import, name="statistics_import"),
    path("statistics/export/", statistics_views.statistics_export, name="statistics_export"),
    path("statistics/template/", statistics_views.statistics_template, name="statistics_template"),
]
