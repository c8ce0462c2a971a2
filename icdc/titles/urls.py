from django.urls import path

from . import views

app_name = "titles"

urlpatterns = [
    path("", views.title_list, name="list"),
]
