from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if request.GET.get("expired"):
            messages.warning(request, _("您已超过 30 分钟未操作，会话已过期，请重新登录。"))
        return super().get(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home:index")


def lockout_response(request, credentials, *args, **kwargs):
    """django-axes calls this when an account is locked (5 failures → 15 minutes)."""
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True,
         "lockout_message": _("登录失败次数过多，该账号已被锁定 15 分钟，请稍后再试或联系系统管理员。")},
        status=403,
    )
