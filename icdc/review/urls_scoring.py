"""URLs of the review stage's scoring pages (issue 14); included from icdc/urls.py."""

from django.urls import path

from . import views_scoring as views

app_name = "scoring"

urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("panels/<int:panel_pk>/applications/<int:application_pk>/", views.sheet, name="sheet"),
    path("panels/<int:panel_pk>/applications/<int:application_pk>/files/<int:attachment_pk>/", views.attachment,
         name="attachment"),
    path("panels/<int:panel_pk>/applications/<int:application_pk>/opinion/", views.opinion, name="opinion"),
    path("panels/<int:panel_pk>/export/", views.export, name="export"),
    path("batches/<int:batch_pk>/window/", views.window, name="window"),
    path("batches/<int:batch_pk>/window/close/", views.window_close, name="window_close"),
    path("batches/<int:batch_pk>/progress/", views.progress_page, name="progress"),
    path("batches/<int:batch_pk>/progress/remind/", views.remind, name="remind"),
]
