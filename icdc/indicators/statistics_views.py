"""Pages for official statistics (Art. 11): list, import with a row-by-row report, export, template."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from icdc.accounts.decorators import permission_required
from icdc.lib import workbooks
from icdc.lib.refusals import Refusal

from . import selectors, statistics_io, statistics_services
from .forms import FigureCorrectionForm, StatisticsFilterForm, StatisticsImportForm
from .models import StatisticFigure

PAGE_SIZE = 100


def _download(content, filename, content_type):
    return workbooks.download(content, filename=filename, content_type=content_type)


#: Sortable columns of the list: (sort key, header).
SORTABLE = [("city", gettext_lazy("城市代码")), ("city_name", gettext_lazy("城市名称")),
            ("province", gettext_lazy("省份")), ("year", gettext_lazy("年份")), ("indicator", gettext_lazy("指标")),
            ("value", gettext_lazy("数值")), ("source", gettext_lazy("数据来源")),
            ("entered_at", gettext_lazy("录入时间"))]


def _headers(query, sort):
    """Each sortable header's link (ascending first, then the other way) and its aria-sort."""
    headers = []
    for key, label in SORTABLE:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else None
        params = query.copy()
        params["sort"] = f"-{key}" if state == "ascending" else key
        headers.append({"key": key, "label": label, "url": f"?{params.urlencode()}", "state": state})
    return headers


@login_required
@permission_required("indicators.view_statistics")
def statistics_list(request):
    form = StatisticsFilterForm(request.GET or None)
    filters = form.filters()
    figures = selectors.statistic_figures(**filters) if filters is not None else StatisticFigure.objects.none()
    totals = selectors.statistic_totals(figures)
    paginator = Paginator(figures, PAGE_SIZE)
    paginator.count = totals["figures"]  # already counted: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    names = selectors.indicator_names(f.indicator_code for f in page.object_list)
    for figure in page.object_list:
        figure.indicator_name = names.get(figure.indicator_code, "")
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    given = filters or {}
    export = {k: v for k, v in (("year", given.get("year")), ("city", given.get("city_code")),
                                ("q", given.get("search"))) if v}
    return render(request, "indicators/statistics_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "totals": totals,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "headers": _headers(unsorted, (filters or {}).get("sort")), "export_query": urlencode(export),
        "sources": statistics_io.LABEL_BY_SOURCE,
        "can_correct": request.user.has_perm("indicators.correct_statistics"),
    })


@login_required
@permission_required("indicators.correct_statistics")
@require_http_methods(["GET", "POST"])
def figure_correct(request, pk):
    """Correct one figure: the new value and the reason, both audited with the old value."""
    figure = get_object_or_404(StatisticFigure.objects.select_related("city__parent", "entered_by"), pk=pk)
    form = FigureCorrectionForm(request.POST or None, initial={"value": figure.value})
    if request.method == "POST" and form.is_valid():
        try:
            statistics_services.statistic_figure_correct(
                figure=figure, value=form.cleaned_data["value"], reason=form.cleaned_data["reason"], user=request.user)
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已更正 %(city)s %(year)s 年 %(code)s 的数值，并记入审计日志。") % {
                "city": figure.city.name, "year": figure.year, "code": figure.indicator_code})
            return redirect(f"{reverse('indicators:statistics_list')}?{urlencode({'q': figure.city_id})}")
    name = selectors.indicator_names([figure.indicator_code]).get(figure.indicator_code, "")
    return render(request, "indicators/figure_correct.html", {"form": form, "figure": figure, "indicator_name": name})


@login_required
@permission_required("indicators.import_statistics")
def statistics_import(request):
    """Upload a file; all or nothing, with every bad row listed (row, column, reason)."""
    form = StatisticsImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = statistics_services.import_statistics(filename=upload.name, content=upload.read(),
                                            version=form.cleaned_data["version"], user=request.user)
    return render(request, "indicators/statistics_import.html", {"form": form, "report": report},
                  status=422 if report is not None and not report.ok else 200)


@login_required
@permission_required("indicators.export_statistics")
def statistics_export(request):
    filters = StatisticsFilterForm(request.GET or None).filters() or {}
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return _download(*statistics_services.export_statistics(
        user=request.user, fmt=fmt, year=filters.get("year"), city_code=filters.get("city_code"),
        search=filters.get("search")))


@login_required
@permission_required("indicators.import_statistics")
def statistics_template(request):
    """A blank .xlsx of the layout, with drop-down lists and a 说明 sheet naming the quantitative indicators."""
    return _download(*statistics_services.statistics_template(user=request.user))
