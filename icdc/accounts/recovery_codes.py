"""Recovery codes (恢复码): ten one-time codes for the second-factor step when the phone is
not at hand (SECURITY.md 身份鉴别). django-otp's static device holds them.

They are authentication data, so they are stored as keyed digests (HMAC-SM3 under a key
derived from SECRET_KEY), never in clear: a copy of the database does not log anyone in.
That is also why they can be shown only once, when generated.
"""

import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from icdc.audit.services import record_event

from . import two_factor

COUNT = 10
DEVICE_NAME = "recovery"
#: no 0/o, 1/l/i: a code is read off paper and typed
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10


def _digest(code, secret):
    # StaticToken.token holds 16 characters: 64 bits of the MAC, enough for a lookup of a
    # 49-bit code that an attacker without the key cannot test offline.
    mac = hmac.new(f"icdc.recovery-code:{secret}".encode(), code.encode(), "sm3")
    return mac.hexdigest()[:16]


def _digests(code):
    """The digest under the current key and each retired one (SECRET_KEY_FALLBACKS), so a
    rotation of SECRET_KEY does not void codes already printed."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_digest(code, key) for key in keys]


def normalise(code):
    return "".join(ch for ch in (code or "").lower() if ch not in " -")


def _display(code):
    return f"{code[:5]}-{code[5:]}"


def remaining(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_codes_generate(*, request):
    """Replace the account's recovery codes with ten new ones; returns them for showing once.

    Only with an authenticator enrolled (the codes stand in for it); audited, without the codes.
    """
    user = request.user
    if not two_factor.has_confirmed_device(user):
        return None, _("请先绑定动态口令，再生成恢复码。")
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(COUNT)]
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=_digest(code, settings.SECRET_KEY))
                                        for code in codes)
        record_event(request=request, action="accounts.recovery_code.generate", obj=user, detail=str(COUNT))
    return [_display(code) for code in codes], ""


@transaction.atomic
def recovery_code_use(*, request, code):
    """The second factor by a recovery code, which is then used up.

    The device row is locked, so one code sent by two sessions at once verifies only one.
    Returns ``(device, "")`` or ``(None, reason)``; every attempt is audited.
    """
    devices = list(StaticDevice.objects.filter(user=request.user, confirmed=True).select_for_update())
    refusal = next((m for m in map(two_factor._wait_message, devices) if m), "")
    candidates = _digests(normalise(code)) if len(normalise(code)) == LENGTH else []
    if not refusal and candidates:
        for device in devices:
            # One verify_token call per device: each miss counts towards its throttle.
            match = device.token_set.filter(token__in=candidates).values_list("token", flat=True).first()
            if device.verify_token(match or candidates[0]):
                two_factor._mark_verified(request, device)
                left = device.token_set.count()
                record_event(request=request, action="accounts.recovery_code.use", obj=device,
                             detail=f"剩余 {left} 个恢复码")
                return device, ""
    elif not refusal:
        for device in devices:
            device.throttle_increment()  # a malformed code counts as a wrong one
    record_event(request=request, action="accounts.otp.verify_fail", result="failed", detail=refusal or "恢复码错误")
    return None, refusal or _("恢复码错误或已使用。")
