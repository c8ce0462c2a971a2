from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("cities/", views.cities, name="cities"),
    path("cities/<str:city_code>/", views.city, name="city"),
    path("announcements/", views.announcements, name="announcements"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("verify/", views.verify, name="verify"),
    path("language/<str:code>/", views.language, name="language"),
]
