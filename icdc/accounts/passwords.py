"""Password rules of SECURITY.md 身份鉴别: length, character classes, no reuse."""

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a Chinese message: Django 5.2 reworded its message and the zh-Hans
    catalogue has not caught up, so the built-in one comes out in English."""

    def get_error_message(self):
        return _("密码长度太短。密码必须包含至少 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码必须包含至少 %(n)d 个字符。") % {"n": self.min_length}


class CharacterClassValidator:
    """At least ``min_classes`` of: upper-case, lower-case, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password):
        return sum(
            [
                any(c.isupper() for c in password),
                any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(c in string.punctuation or c.isspace() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。",
            "密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。",
            self.min_classes,
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """The last ``history`` passwords may not be reused (filled in by accounts.services)."""

    def __init__(self, history=5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        if PasswordHistory.matches_recent(user, password, self.history):
            raise ValidationError(_("不能使用最近 %(n)d 次用过的密码。") % {"n": self.history}, code="password_reused")

    def get_help_text(self):
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.history}
