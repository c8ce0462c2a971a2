"""我的账号: every account's own page — password, second factor, recovery codes, and its
latest logins and failed attempts. Each view concerns ``request.user`` only; the rule
``accounts.manage_own_account`` (rules.py) admits every active account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icdc.audit.actions import current_code

from . import login_history, policy, recovery_codes, two_factor
from .decorators import permission_required
from .forms import CurrentPasswordForm

OWN = "accounts.manage_own_account"

#: how each kind of login record reads on the page
EVENT_LABELS = {
    "accounts.session.login": gettext_lazy("登录成功"),
    "accounts.session.login_failed": gettext_lazy("密码错误"),
    "accounts.account.lock": gettext_lazy("账号锁定，登录被拒绝"),
    "accounts.otp.verify_fail": gettext_lazy("动态口令或恢复码错误"),
}


def _me_url():
    return reverse("accounts:me")


@login_required
@permission_required(OWN)
def account(request):
    user = request.user
    changed = user.password_changed_at
    history = [
        {"record": r, "label": EVENT_LABELS.get(current_code(r.action), r.action),
         "ok": current_code(r.action) == login_history.SUCCESS}
        for r in login_history.recent_logins(user)
    ]
    return render(request, "accounts/self/account.html", {
        "password_changed_at": changed,
        "password_expires_at": changed + settings.ICDC_PASSWORD_MAX_AGE if changed else None,
        "otp_enrolled": two_factor.has_confirmed_device(user),
        "otp_required": policy.requires_two_factor(user),
        "recovery_left": recovery_codes.remaining(user),
        "recovery_count": recovery_codes.COUNT,
        "history": history,
        "otp_setup_url": f"{reverse('accounts:otp_setup')}?{urlencode({'next': _me_url()})}",
    })


@login_required
@permission_required(OWN)
def recovery_codes_page(request):
    """GET: how many codes are left. POST: generate ten (shown once, in this response only);
    replacing codes that still work asks for confirmation first."""
    user = request.user
    left = recovery_codes.remaining(user)
    context = {"left": left, "count": recovery_codes.COUNT, "otp_enrolled": two_factor.has_confirmed_device(user)}
    if request.method == "POST":
        if left and request.POST.get("confirm") != "1":
            return render(request, "accounts/self/recovery_codes.html", {**context, "confirming": True})
        codes, refusal = recovery_codes.recovery_codes_generate(request=request)
        if refusal:
            messages.error(request, refusal)
            return redirect("accounts:me_recovery_codes")
        return render(request, "accounts/self/recovery_codes.html", {**context, "codes": codes})
    return render(request, "accounts/self/recovery_codes.html", context)


@login_required
@permission_required(OWN)
def otp_reset(request):
    """Remove one's own authenticator and recovery codes (current password asked again),
    then enrol again."""
    form = CurrentPasswordForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        _count, refusal = two_factor.reset_own_devices(request=request, password=form.cleaned_data["password"])
        if not refusal:
            messages.success(request, _("原动态口令和恢复码已作废，请重新绑定验证器。"))
            return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _me_url()})}")
        form.add_error("password", refusal)
    return render(request, "accounts/self/otp_reset.html", {
        "form": form, "otp_enrolled": two_factor.has_confirmed_device(request.user),
    })
