"""The province's preliminary review (初审) and the Ministry's queue; included at ``review/``."""

from django.urls import path

from . import views_ministry, views_province

app_name = "preliminary"

urlpatterns = [
    path("province/", views_province.province_list, name="province_list"),
    path("province/<int:pk>/", views_province.province_detail, name="province_detail"),
    path("province/<int:pk>/letter.docx", views_province.letter_draft, name="letter_draft"),
    path("province/<int:pk>/letter/generate/", views_province.letter_generate, name="letter_generate"),
    path("province/<int:pk>/letter/upload/", views_province.letter_upload, name="letter_upload"),
    path("province/<int:pk>/recommend/", views_province.recommend, name="recommend"),
    path("province/<int:pk>/return/", views_province.return_application, name="return"),
    path("province/ranking/<int:batch_pk>/", views_province.ranking, name="ranking"),
    path("documents/<int:pk>/", views_province.document_download, name="document_download"),
    path("ministry/", views_ministry.queue, name="ministry_queue"),
    path("ministry/export/", views_ministry.queue_export, name="ministry_export"),
    path("ministry/<int:pk>/", views_ministry.application_view, name="ministry_detail"),
]
