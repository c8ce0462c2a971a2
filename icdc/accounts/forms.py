from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import policy


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=gettext_lazy("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": _("用户名或密码错误。连续失败 %(limit)d 次，账号将被锁定 %(minutes)d 分钟。")
            % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": policy.lockout_minutes()},
            "inactive": _("该账号已停用，请联系系统管理员。"),
        }


class TokenForm(forms.Form):
    """The six digits an authenticator app shows."""

    token = forms.CharField(
        label=gettext_lazy("动态口令"),
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", gettext_lazy("请输入 6 位数字动态口令。"))],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "pattern": "[0-9]{6}"}
        ),
        error_messages={"required": gettext_lazy("请输入 6 位数字动态口令。")},
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes (10 letters and digits; the hyphen is optional)."""

    recovery_code = forms.CharField(
        label=gettext_lazy("恢复码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("请输入恢复码。")},
    )


class CurrentPasswordForm(forms.Form):
    """The account holder's password, asked again before a change to the second factor."""

    password = forms.CharField(
        label=gettext_lazy("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("请输入当前密码。")},
    )
