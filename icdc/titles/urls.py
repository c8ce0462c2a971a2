from django.urls import path

from . import views

app_name = "titles"

urlpatterns = [
    path("", views.title_list, name="list"),
    path("<int:pk>/certificate/", views.certificate_issue, name="certificate_issue"),
]
