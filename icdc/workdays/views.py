"""Pages for the holiday schedule (节假日安排): the years known, entering or correcting a year."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icdc.accounts.decorators import permission_required
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal

from . import selectors, services
from .calendar import format_dates
from .forms import YearScheduleForm

MANAGE = "workdays.manage_schedule"


def _calculation(request):
    """The period calculator on the list page (GET ``published`` and ``days``)."""
    published, days = request.GET.get("published", ""), request.GET.get("days", "")
    if not published and not days:
        return None
    try:
        start = datetime.date.fromisoformat(published)
        count = int(days)
        if not 1 <= count <= 60:
            raise ValueError
    except ValueError:
        return {"error": _("请填写发布日期（YYYY-MM-DD）和 1 至 60 个工作日。"), "published": published[:20],
                "days": days[:5]}
    try:
        first, last = selectors.notice_period(start, count)
    except Refusal as exc:
        return {"error": str(exc), "published": published, "days": count}
    return {"published": published, "days": count, "first": first, "last": last}


@login_required
@permission_required(MANAGE)
def year_list(request):
    return render(request, "workdays/list.html", {
        "years": selectors.known_years(), "calculation": _calculation(request),
        "counts_publication_day": selectors.counts_publication_day(),
        "first_year": services.FIRST_YEAR, "last_year": services.LAST_YEAR,
    })


@login_required
@permission_required(MANAGE)
def year_new(request):
    """The list page's "录入年度" box: go to that year's page."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        messages.error(request, _("年度须在 %(first)s 至 %(last)s 之间。") % {
            "first": services.FIRST_YEAR, "last": services.LAST_YEAR})
        return redirect("workdays:list")
    return redirect("workdays:edit", year=year)


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def year_edit(request, year):
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise Http404
    plan, entry = selectors.plan_for(year)
    initial = {"revision": entry.revision if entry else None}
    if plan is not None:
        initial.update(holidays=format_dates(plan.holidays), working_days=format_dates(plan.working_days),
                       note=plan.note if entry else "")
    form = YearScheduleForm(request.POST or None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not is_confirmed(request):
            return confirmation_page(request, Confirmation(
                title=_("保存 %(year)s 年节假日安排") % {"year": year},
                summary=_("保存后，平台按此安排计算 %(year)s 年的工作日（公示期等），取代此前的安排。") % {"year": year},
                effects=[_("法定节假日 %(n)s 天") % {"n": len(data["holidays"])},
                         _("调休上班日 %(n)s 天") % {"n": len(data["working_days"])},
                         _("依据：%(note)s") % {"note": data["note"]}],
                button=_("确认保存"), cancel_url=reverse("workdays:edit", args=[year]),
                irreversible=False, danger=False, carry=request.POST))
        try:
            services.year_schedule_save(year=year, holidays=data["holidays"], working_days=data["working_days"],
                                        note=data["note"], revision=data["revision"], user=request.user,
                                        request=request)
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(year)s 年节假日安排已保存。") % {"year": year})
            return redirect("workdays:list")
    return render(request, "workdays/edit.html", {"form": form, "year": year, "entry": entry,
                                                  "from_library": plan is not None and entry is None})
