"""The system administrator's account pages, under /accounts/manage/ (namespace ``accounts:manage``)."""

from django.urls import path

from . import views_manage as views

app_name = "manage"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("cities/", views.city_options, name="cities"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate, name="reactivate"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/unlock/", views.account_unlock, name="unlock"),
    path("<int:pk>/reset-authenticator/", views.account_reset_authenticator, name="reset_authenticator"),
]
