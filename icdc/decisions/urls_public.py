from django.urls import path

from . import views_public

app_name = "public_notices"

urlpatterns = [
    path("", views_public.notice_list, name="notice_list"),
    path("receipt/", views_public.receipt, name="receipt"),
    path("<int:pk>/", views_public.notice_detail, name="notice_detail"),
    path("<int:pk>/documents/<int:doc_pk>/", views_public.notice_document, name="notice_document"),
]
