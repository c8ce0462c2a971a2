"""Pages for official statistics (Art. 11): list, import with a row-by-row report, export, template."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from icdc.accounts.decorators import permission_required
from icdc.lib import workbooks

from . import selectors, statistics_io, statistics_services
from .forms import StatisticsFilterForm, StatisticsImportForm


def _download(content, filename, content_type):
    return workbooks.download(content, filename=filename, content_type=content_type)


@login_required
@permission_required("indicators.view_statistics")
def statistics_list(request):
    form = StatisticsFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.statistic_figures(**filters), 100).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("year", filters["year"]), ("city", filters["city_code"])) if v)
    return render(request, "indicators/statistics_list.html", {
        "form": form, "page": page, "query": query,
        "sources": statistics_io.LABEL_BY_SOURCE,
    })


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
    filters = StatisticsFilterForm(request.GET or None).filters()
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return _download(*statistics_services.export_statistics(user=request.user, fmt=fmt, **filters))


@login_required
@permission_required("indicators.import_statistics")
def statistics_template(request):
    """A blank .xlsx of the layout, with drop-down lists and a 说明 sheet naming the quantitative indicators."""
    return _download(*statistics_services.statistics_template(user=request.user))
