"""Bare views for the web benchmark (bench/web.py): the cheapest answer the server can give,
through the whole middleware stack, so each page's figure is read against it.

Routed only when ``ICDC_BENCH_VIEWS`` is true, which only ``icdc.settings_bench`` sets: never
in the embedded default nor in production (tests/lib/test_bench_views.py).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_logged_in(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bare/", bare, name="bare"),
    path("bare/login/", bare_logged_in, name="bare_logged_in"),
]
