from django.urls import include, path

from . import otp_views, views

app_name = "accounts"

urlpatterns = [
    path("manage/", include("icdc.accounts.urls_manage")),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/setup/", otp_views.setup, name="otp_setup"),
    path("otp/verify/", otp_views.verify, name="otp_verify"),
    path("me/", include("icdc.accounts.urls_self")),
]
