"""Login, logout and password change: thin views over Django's, with the policy in
``policy.py`` and the writes in ``services.py``."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from . import policy, selectors, services
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("displaced"):
            context["notice"] = policy.session_displaced_message()
        elif self.request.GET.get("expired"):
            context["notice"] = policy.session_expired_message()
        elif self.request.GET.get("logged_out"):
            context["notice"] = _("您已安全退出。")
        if policy.show_demo_logins():
            context["demo_accounts"] = selectors.demo_accounts()
            context["demo_password"] = selectors.DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    """POST only; Django flushes the session, so the old cookie names no session any more."""

    def get_default_redirect_url(self):
        return f"{reverse('accounts:login')}?logged_out=1"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home:index")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reason": policy.password_change_reason(self.request.user)}

    def form_valid(self, form):
        try:
            services.change_password(user=form.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password2", exc.message_dict.get("password", exc.messages))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, form.user)  # new session id; stay logged in
        messages.success(self.request, _("密码已修改。"))
        return redirect(self.get_success_url())


def lockout_response(request, response=None, credentials=None):
    """django-axes calls this when an account is locked (5 failures → 15 minutes)."""
    return render(
        request,
        "accounts/lockout.html",
        {"lockout_message": policy.lockout_message()},
        status=403,
    )
