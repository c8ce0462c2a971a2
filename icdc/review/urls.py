"""The expert pool and the expert's declarations; included at ``review/`` beside the preliminary review."""

from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("experts/", views.expert_list, name="list"),
    path("experts/new/", views.expert_new, name="new"),
    path("experts/import/", views.expert_import, name="import"),
    path("experts/template/", views.expert_template, name="template"),
    path("experts/export/", views.expert_export, name="export"),
    path("experts/<int:pk>/", views.expert_detail, name="detail"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="edit"),
    path("panels/<int:batch_pk>/", views.panel_list, name="panels"),
    path("panels/<int:batch_pk>/draw/", views.panel_draw, name="panel_draw"),
    path("panels/draw/<int:pk>/decline/", views.panel_decline, name="panel_decline"),
    path("declarations/conflicts/", views.my_conflicts, name="my_conflicts"),
    path("declarations/<int:batch_pk>/", views.declaration, name="declaration"),
]
