from django.urls import path

from . import views

app_name = "batches"

urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_new, name="new"),
    path("new/<int:programme_pk>/", views.batch_create, name="create"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/edit/", views.batch_edit, name="edit"),
    path("<int:pk>/open/", views.batch_open, name="open"),
    path("<int:pk>/close/", views.batch_close, name="close"),
    path("<int:pk>/start-review/", views.batch_start_review, name="start_review"),
]
