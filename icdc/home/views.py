from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from icdc.accounts.decorators import permission_required

from . import selectors
from .navigation import HOME_OF_ROLE

#: The public page as rendered for an anonymous visitor, per language, with a placeholder where
#: the language form's CSRF token goes. Per process (not the shared cache), so a deployment that
#: changes the template starts afresh.
_PUBLIC_PAGES: dict[str, str] = {}
_TOKEN = "__icdc_csrf_token__"


def _public_page(request):
    """The same bytes for every anonymous visitor but the CSRF token, so the page is rendered
    once per language and process rather than on every request (issue 12: the public page cost
    3 × a bare view, nearly all of it template rendering). Not cached while DEBUG is on (template
    edits show at once), for a query string (the form's ``next``) or when messages are waiting."""
    cacheable = not settings.DEBUG and not request.META.get("QUERY_STRING") and not len(messages.get_messages(request))
    if not cacheable:
        return render(request, "home/public.html")
    language = get_language()
    html = _PUBLIC_PAGES.get(language)
    if html is None:
        html = _PUBLIC_PAGES[language] = render_to_string("home/public.html", {"csrf_token": _TOKEN}, request)
    # get_token also sets the CSRF cookie, exactly as {% csrf_token %} would have.
    return HttpResponse(html.replace(_TOKEN, get_token(request)))


def index(request):
    """Public landing page; a logged-in user goes to their role's home page."""
    if request.user.is_authenticated and request.user.role in HOME_OF_ROLE:
        return redirect(HOME_OF_ROLE[request.user.role])
    return _public_page(request)


@login_required
@permission_required("home.view_city_home")
def city(request):
    return render(request, "home/city.html", {**selectors.city_overview(request.user),
                                              **selectors.city_todo(request.user)})


@login_required
@permission_required("home.view_province_home")
def province(request):
    return render(request, "home/province.html", {**selectors.province_overview(request.user),
                                                  **selectors.province_todo(request.user)})


@login_required
@permission_required("home.view_ministry_home")
def ministry(request):
    return render(request, "home/ministry.html", {"overview": selectors.ministry_overview(),
                                                  **selectors.ministry_todo(request.user)})


@login_required
@permission_required("home.view_expert_home")
def expert(request):
    return render(request, "home/expert.html")


@login_required
@permission_required("home.view_sysadmin_home")
def sysadmin(request):
    return render(request, "home/sysadmin.html")


@login_required
@permission_required("home.view_auditor_home")
def auditor(request):
    return render(request, "home/auditor.html")
