from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_list, name="list"),
    path("new/", views.year_new, name="new"),
    path("<int:year>/", views.year_edit, name="edit"),
]
