"""我的账号: /accounts/me/… (included from accounts/urls.py, in the ``accounts`` namespace)."""

from django.urls import path

from . import views_self

urlpatterns = [
    path("", views_self.account, name="me"),
    path("recovery-codes/", views_self.recovery_codes_page, name="me_recovery_codes"),
    path("otp/reset/", views_self.otp_reset, name="me_otp_reset"),
]
