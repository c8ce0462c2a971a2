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
