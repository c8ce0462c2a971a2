"""Two-factor (TOTP) enrolment and verification, rendered locally (no outside QR service).

Both pages concern the user's own account only, so logging in is the permission.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from . import recovery_codes, two_factor
from .forms import RecoveryCodeForm, TokenForm


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def setup(request):
    """GET shows the page (the QR code once enrolment has started); POST ``start`` creates
    the device to enrol, POST ``token`` confirms it. A GET never writes."""
    if two_factor.has_confirmed_device(request.user):
        return redirect(_next_url(request))
    if request.method == "POST" and "start" in request.POST:
        two_factor.enrolment_start(user=request.user)
        return redirect(f"{request.path}?{urlencode({'next': _next_url(request)})}")
    device = two_factor.pending_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" and device else None)
    if form.is_valid():
        confirmed, refusal = two_factor.confirm_enrolment(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if confirmed:
            messages.success(request, _("动态口令已绑定。今后登录时请输入验证器显示的 6 位数字。"))
            return redirect(_next_url(request))
        form.add_error("token", refusal)
    context = {"form": form, "device": device, "next": _next_url(request)}
    if device is not None:
        context.update(qr_svg=two_factor.qr_svg(device), secret=two_factor.secret_base32(device))
    return render(request, "accounts/otp_setup.html", context)


@login_required
def verify(request):
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not two_factor.has_confirmed_device(request.user):
        return redirect("accounts:otp_setup")
    by_recovery_code = request.method == "POST" and "recovery_code" in request.POST
    form = TokenForm(request.POST if request.method == "POST" and not by_recovery_code else None)
    recovery_form = RecoveryCodeForm(request.POST if by_recovery_code else None)
    if form.is_valid():
        verified, refusal = two_factor.verify(request=request, token=form.cleaned_data["token"])
        if verified:
            return redirect(next_url)
        form.add_error("token", refusal)
    if recovery_form.is_valid():
        verified, refusal = recovery_codes.recovery_code_use(
            request=request, code=recovery_form.cleaned_data["recovery_code"]
        )
        if verified:
            left = recovery_codes.remaining(request.user)
            messages.warning(request, _("已使用一个恢复码，还剩 %(n)d 个。用完前请在“我的账号”中重新生成。") % {"n": left})
            return redirect(next_url)
        recovery_form.add_error("recovery_code", refusal)
    return render(
        request, "accounts/otp_verify.html", {"form": form, "recovery_form": recovery_form, "next": next_url}
    )
