"""The Ministry's queue (SPEC §2 art. 10–11): every application that has arrived, recommended by a
province or submitted directly; filters, sorting, paging, Excel export, and the full view."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from icdc.accounts.decorators import permission_required
from icdc.audit.services import record_event
from icdc.batches.models import SHANGHAI
from icdc.lib import workbooks
from icdc.lib.workbooks import Column, ExcelExport

from . import selectors_queue
from .models import Application

QUEUE = "applications.view_ministry_queue"
EXPORT = "applications.export_ministry_queue"
SORT_CHOICES = [
    ("-arrived", _l("报送时间（新→旧）")), ("arrived", _l("报送时间（旧→新）")), ("number", _l("申报编号")),
    ("city", _l("城市")), ("province", _l("省份")), ("type", _l("申报类型")), ("status", _l("状态")),
    ("rank", _l("省内推荐排序")),
]


class QueueFilter(forms.Form):
    """The queue's filters; unknown values are dropped, never an error page."""

    type_code = forms.ChoiceField(label=_l("申报类型"), required=False)
    domain = forms.ChoiceField(label=_l("特色方向"), required=False)
    province = forms.ChoiceField(label=_l("省份"), required=False)
    route = forms.ChoiceField(label=_l("申报途径"), required=False)
    status = forms.ChoiceField(label=_l("状态"), required=False)
    sort = forms.ChoiceField(label=_l("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, choices):
        super().__init__(data)
        everything = [("", _l("全部"))]
        self.fields["type_code"].choices = everything + choices["types"]
        self.fields["domain"].choices = everything + choices["domains"]
        self.fields["province"].choices = everything + choices["provinces"]
        self.fields["route"].choices = everything + list(choices["routes"])
        self.fields["status"].choices = everything + choices["states"]

    def selects(self):
        """(name, id, label, [(value, label, selected)]) per filter, for the page: rendered as plain
        options (Django's widget templates cost more than the 50 rows below them)."""
        out = []
        for field in self:
            chosen = str(self.data.get(field.name, ""))
            options = [(str(value), label, str(value) == chosen) for value, label in field.field.choices]
            out.append((field.html_name, field.id_for_label, field.label, options))
        return out

    def filters(self):
        cleaned = {}
        for name in self.fields:
            value = self.data.get(name, "")
            if name == "sort":  # any known key, ascending or descending ("-city")
                if value.lstrip("-") in selectors_queue.SORTS:
                    cleaned[name] = value
            elif value and value in {str(code) for code, _label in self.fields[name].choices}:
                cleaned[name] = value
        cleaned.setdefault("sort", selectors_queue.DEFAULT_SORT)
        return cleaned


def _queue(request):
    form = QueueFilter(request.GET, selectors_queue.queue_filter_choices())
    filters = form.filters()
    return form, filters, selectors_queue.ministry_queue(**filters)


@login_required
@permission_required(QUEUE)
@require_GET
def queue(request):
    form, filters, applications = _queue(request)
    page = Paginator(applications, selectors_queue.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "applications/ministry/queue.html", {
        "form": form, "filters": filters, "page": page, "rows": selectors_queue.labelled(page.object_list),
        "page_numbers": page.paginator.get_elided_page_range(page.number), "query": query.urlencode(),
    })


@login_required
@permission_required(EXPORT)
@require_GET
def queue_export(request):
    """The filtered queue as Excel, through the one export writer (formula-safe, Chinese name)."""
    _form, filters, applications = _queue(request)
    book = ExcelExport()
    sheet = book.sheet(_("申报队列"), title=_("工信部申报队列"), columns=[
        Column(_("申报编号"), width=18), Column(_("城市"), width=14), Column(_("省份"), width=12), Column(_("申报途径"), width=12),
        Column(_("申报类型"), width=12), Column(_("特色方向"), width=24), Column(_("状态"), width=12), Column(_("省内推荐排序"), width=10),
        Column(_("报送工信部时间"), width=18), Column(_("批次"), width=24),
    ], facts=[(_("筛选条件"), " ".join(f"{k}={v}" for k, v in sorted(filters.items())))])
    count = 0
    for chunk in _chunks(applications):
        for row in selectors_queue.labelled(chunk):
            a = row.application
            sheet.append([
                a.number, a.city.name, a.province.name if a.province_id else "", a.get_route_display(),
                row.type_label, row.domain_labels, a.get_status_display(), a.recommendation_rank or "",
                timezone.localtime(a.arrived_at, SHANGHAI).strftime("%Y-%m-%d %H:%M") if a.arrived_at else "",
                a.batch.title,
            ])
            count += 1
    record_event(action="applications.queue.export", request=request, detail=f"rows={count}",
                 after={key: value for key, value in filters.items()})
    stamp = timezone.localtime(timezone.now(), SHANGHAI).strftime("%Y%m%d-%H%M")
    return workbooks.download(book.to_bytes(), filename=_("工信部申报队列-%(stamp)s.xlsx") % {"stamp": stamp},
                              fallback=f"ministry-queue-{stamp}.xlsx", content_type=workbooks.XLSX_TYPE)


def _chunks(queryset, size=2000):
    """Rows in slices (one query each), so the export never holds the whole queue's objects."""
    start = 0
    while True:
        chunk = list(queryset[start:start + size])
        if not chunk:
            return
        yield chunk
        start += size


def _application(request, pk):
    """Only what has reached the Ministry; anything else is "not found", like an unknown id."""
    return get_object_or_404(Application.objects.filter(arrived_at__isnull=False)
                             .select_related("batch", "city", "province"), pk=pk)


@login_required
@permission_required(QUEUE)
@permission_required("applications.view_application", _application)
@require_GET
def application_view(request, pk):
    """The application's full read-only view for the Ministry."""
    application = _application(request, pk)
    return render(request, "applications/ministry/detail.html", {
        "application": application, "row": selectors_queue.labelled([application])[0],
        **selectors_queue.application_dossier(application),
    })
