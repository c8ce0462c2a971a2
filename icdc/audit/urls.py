from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("records/<int:seq>/", views.record_detail, name="detail"),
    path("export/", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
    path("verify/runs/<int:run_id>/", views.verify_run, name="verify_run"),
]
