from django.urls import path, register_converter
from django.urls.converters import StringConverter

from . import views, views_print


class SectionKeyConverter(StringConverter):
    """A section key (``summary``, ``cond-COMP-1``, ``outline-BASICS``): anything else is a 404 before
    any view runs."""

    regex = r"[A-Za-z][A-Za-z0-9_-]{0,63}"


register_converter(SectionKeyConverter, "section_key")

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("start/<int:batch_pk>/", views.application_start, name="start"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/sections/<section_key:key>/", views.section_save, name="section_save"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/form.pdf", views_print.draft_pdf, name="draft_pdf"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("<int:pk>/revisions/<int:number>/form.pdf", views_print.revision_pdf, name="revision_pdf"),
    path("<int:pk>/revisions/<int:number>/compare/<int:other>/", views.revision_compare, name="revision_compare"),
]
