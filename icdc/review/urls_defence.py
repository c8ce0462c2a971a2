"""URLs of the review stage's defence pages (issue 14); included from icdc/urls.py."""

from django.urls import path

from . import views_defence as views

app_name = "defence"

urlpatterns = [
    path("panels/<int:pk>/", views.panel_defence, name="panel"),
    path("panels/<int:pk>/schedule/", views.slot_schedule, name="schedule"),
    path("panels/<int:pk>/conflicts/", views.panel_conflicts, name="conflicts"),
    path("panels/<int:pk>/inspections/new/", views.inspection_new, name="inspection_new"),
    path("slots/<int:pk>/mark/", views.slot_mark, name="mark"),
    path("slots/<int:pk>/score/", views.slot_score, name="score"),
    path("batches/<int:batch_pk>/panels.xlsx", views.panel_export, name="panel_export"),
    path("batches/<int:batch_pk>/defence-scores.xlsx", views.score_export, name="score_export"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/findings/", views.inspection_findings, name="inspection_findings"),
    path("inspections/<int:pk>/files/", views.inspection_upload, name="inspection_upload"),
    path("inspections/files/<int:pk>/", views.inspection_file, name="inspection_file"),
    path("mine/", views.my_defences, name="mine"),
]
