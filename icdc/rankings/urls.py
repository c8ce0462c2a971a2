from django.urls import path

from . import views

app_name = "rankings"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/reproduce/", views.reproduce, name="reproduce"),
    path("runs/<int:pk>/ranking.xlsx", views.export_ranking, name="export_ranking"),
    # Before the track pattern: no track is called "calibration".
    path("runs/<int:pk>/calibration/", views.run_leniency, name="run_leniency"),
    path("runs/<int:pk>/<str:track>/", views.run_track, name="run_track"),
    path("runs/<int:pk>/<str:track>/<str:city_code>/", views.city_explanation, name="city_explanation"),
    path("runs/<int:pk>/<str:track>/<str:city_code>/explanation.xlsx", views.export_explanation,
         name="export_explanation"),
]
