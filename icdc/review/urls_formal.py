"""URLs of the review stage's formal pages (issue 14); included from icdc/urls.py."""

from django.urls import path

from . import views_formal

app_name = "formal"

urlpatterns = [
    path("", views_formal.queue, name="queue"),
    path("bulk-pass/", views_formal.bulk_pass, name="bulk_pass"),
    path("export/", views_formal.export, name="export"),
    path("<int:pk>/", views_formal.review, name="review"),
]
