"""Bare views for the web benchmark (bench/web.py): the cheapest answer the server can give,
through the whole middleware stack, so each page's figure is read against it; and the upload
view of bench/upload.py, which stores a file exactly as an application's attachment is stored.

Routed only when ``ICDC_BENCH_VIEWS`` is true, which only ``icdc.settings_bench`` sets: never
in the embedded default nor in production (tests/lib/test_bench_views.py).
"""

import os
import time

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .refusals import Refusal
from .stored_uploads import ATTACHMENT_KINDS, oversized_uploads_check, store_upload


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


#: About the size of the portal list's first page (11 KB of Chinese HTML).
_PAGE_SIZED_BODY = "<!DOCTYPE html><p>" + "信息消费示范城市名单" * 370 + "</p>"


def bare_page_sized(request):
    """bench/portal.py's ceiling for a page of the list's size: the bare view with an 11 KB body."""
    return HttpResponse(_PAGE_SIZED_BODY)


def bare_one_query(request):
    """bench/portal.py's ceiling for any page that reads the database: one ``SELECT 1`` (with the
    connection's health check, as every request's first query), then the page-sized body."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchall()
    return HttpResponse(_PAGE_SIZED_BODY)


def portal_titles(request):
    """bench/portal.py's ceiling for the list without its page: the titles read as the list reads them
    (``selectors.title_rows``), filtered and sorted, written as plain text: no form, no template."""
    from icdc.portal import selectors

    listed = selectors.title_list(selectors.title_rows(), sort=selectors.parse_sort(request.GET.get("sort")))
    lines = [f"{r.batch_year}\t{r.city_name}\t{r.province_name}\t{r.full_title}\t{r.kind_label}\t{r.announced}"
             for r in listed.rows[:20]]
    return HttpResponse("\n".join([str(listed.counts["titles"]), *lines]), content_type="text/plain; charset=utf-8")


@login_required
def bare_logged_in(request):
    return HttpResponse("ok", content_type="text/plain")


def _rows_as_text(rows, count):
    lines = [f"{count}"] + [f"{a.number}\t{a.city.name}\t{a.province.name if a.province_id else ''}\t{a.status}\t"
                            f"{a.batch.title}" for a in rows]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@login_required
def queue_rows(request):
    """bench/queue_pages.py's baseline for the Ministry's queue: the same count and the same 50 rows (the
    same joins, filters and order), written as plain text: no filters form, labels, template or
    permission check."""
    from django.db.models import Q

    from icdc.applications.models import Application

    rows = Application.objects.filter(arrived_at__isnull=False).select_related("batch", "city", "province")
    if request.GET.get("province"):  # the queue's filter, written out
        code = request.GET["province"]
        rows = rows.filter(Q(province_id=code) | Q(province__isnull=True, city_id=code)
                           | Q(province__isnull=True, city__parent_id=code))
    if request.GET.get("type_code"):
        rows = rows.filter(type_code=request.GET["type_code"])
    rows = rows.order_by("city__code") if request.GET.get("sort") == "city" else rows.order_by("-arrived_at", "-pk")
    page = max(int(request.GET.get("page", "1") or 1), 1)
    return _rows_as_text(list(rows[(page - 1) * 50:page * 50]), rows.count())


@login_required
def province_rows(request):
    """bench/queue_pages.py's baseline for the province's list: the same rows, plain text."""
    from icdc.applications.models import Application

    rows = Application.objects.filter(province_id=request.user.division_id, route="province",
                                      submitted_at__isnull=False).select_related("batch", "city", "province")
    rows = rows.order_by("-batch__year", "status", "recommendation_rank", "city__code")
    return _rows_as_text(list(rows[:50]), rows.count())


@csrf_exempt  # anonymous and without a token: the bench measures the upload path, not the login
def upload(request):
    """GET: this worker's pid (the bench reads its /proc/<pid>/status). POST: the file in ``file``
    parsed by Django (streamed to a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE) and stored by
    ``store_upload`` as the application view does; the figures as JSON."""
    if request.method != "POST":
        return JsonResponse({"pid": os.getpid()})
    began = time.perf_counter()
    uploaded = request.FILES.get("file")
    parsed = time.perf_counter()
    try:
        oversized_uploads_check(request=request)
        if uploaded is None:
            return JsonResponse({"refused": "no file"}, status=400)
        stored = store_upload(uploaded_file=uploaded, kinds=ATTACHMENT_KINDS, folder="bench")
    except Refusal as exc:
        return JsonResponse({"refused": str(exc)}, status=400)
    return JsonResponse({"pid": os.getpid(), "upload_class": type(uploaded).__name__, "name": stored.name,
                         "size": stored.size, "sha256": stored.sha256, "kind": stored.kind,
                         "parse_seconds": parsed - began, "store_seconds": time.perf_counter() - parsed})


urlpatterns = [
    path("bare/", bare, name="bare"),
    path("bare/login/", bare_logged_in, name="bare_logged_in"),
    path("bare/page-sized/", bare_page_sized, name="bare_page_sized"),
    path("bare/one-query/", bare_one_query, name="bare_one_query"),
    path("portal/titles/", portal_titles, name="portal_titles"),
    path("queue/ministry/", queue_rows, name="queue_rows"),
    path("queue/province/", province_rows, name="province_rows"),
    path("upload/", upload, name="upload"),
]
