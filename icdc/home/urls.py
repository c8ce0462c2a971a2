from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.index, name="index"),
    path("home/city/", views.city, name="city"),
    path("home/province/", views.province, name="province"),
    path("home/ministry/", views.ministry, name="ministry"),
    path("home/expert/", views.expert, name="expert"),
    path("home/sysadmin/", views.sysadmin, name="sysadmin"),
    path("home/auditor/", views.auditor, name="auditor"),
]
