"""The public forms' libraries as wired here: django-simple-captcha draws its image locally with the
configured font (no outside call); django-ratelimit is used without its app (its check refuses the
embedded per-process cache)."""

from pathlib import Path

from django.conf import settings
from django.test import RequestFactory


def test_the_captcha_image_is_drawn_with_a_local_font(db):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore
    from captcha.views import captcha_image

    font = captcha_settings.CAPTCHA_FONT_PATH
    fonts = font if isinstance(font, list | tuple) else [font]
    assert all(Path(f).is_file() for f in fonts)
    key = CaptchaStore.generate_key()
    response = captcha_image(RequestFactory().get("/"), key)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_the_ratelimit_app_is_not_installed_only_its_functions_used():
    assert "captcha" in settings.INSTALLED_APPS
    assert "django_ratelimit" not in settings.INSTALLED_APPS


def test_the_captcha_catalogue_does_not_reword_djangos_required_field_message():
    """captcha's zh_Hans catalogue has "这个字段是必须的" for Django's own message; icdc.portal's
    locale (listed before it) restores Django's wording for every form of the platform."""
    from django import forms
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(forms.Field.default_error_messages["required"]) == "这个字段是必填项。"
        assert translation.gettext("Invalid CAPTCHA") == "验证码错误，请重新输入。"
    assert settings.INSTALLED_APPS.index("icdc.portal") < settings.INSTALLED_APPS.index("captcha")
