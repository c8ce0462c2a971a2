from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseByDefaultLocaleMiddleware:
    """Chinese unless the user chose otherwise (the language switcher's cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC
    with an English browser would get an English Ministry platform; SPEC §6 wants zh-Hans
    by default and English only on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RejectNulBytesMiddleware:
    """400 for a NUL byte anywhere in the path or query string.

    No code, id or search term of the platform holds one, and PostgreSQL refuses it in a query:
    without this, any view that looks a path value up would answer 500 instead of 400/404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "%00" in request.META.get("QUERY_STRING", "")
            or "\x00" in request.META.get("QUERY_STRING", "")
        ):
            from django.http import HttpResponseBadRequest
            from django.utils.translation import gettext as _

            return HttpResponseBadRequest(_("请求地址含有非法字符。"), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
