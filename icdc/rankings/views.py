"""Pages of scoring runs (Ministry officer only): list, ranking per track, a city's explanation,
re-check by recomputation, Excel exports. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from icdc.accounts.decorators import permission_required
from icdc.lib import workbooks

from . import selectors, services
from .models import ScoringRun

VIEW = "rankings.view_scoring_run"


def _run(pk, *, with_result=False):
    """The run; without ``with_result`` its snapshot and result text (megabytes at 300 cities)
    stay in the database: the pages read the outline and the city rows instead."""
    queryset = ScoringRun.objects.select_related("version", "created_by")
    return get_object_or_404(queryset if with_result else queryset.defer("snapshot", "result_text"), pk=pk)


def _download(content, filename, content_type):
    return workbooks.download(content, filename=filename, content_type=content_type)


@login_required
@permission_required(VIEW)
def run_list(request):
    return render(request, "rankings/run_list.html", {"runs": selectors.runs()})


@login_required
@permission_required(VIEW)
def run_detail(request, pk):
    run = _run(pk)
    return redirect("rankings:run_track", pk=run.pk, track=run.tracks[0])


@login_required
@permission_required(VIEW)
def run_track(request, pk, track):
    """The ranking of one track, a page at a time: decision, close calls and flags, hashes and seed."""
    run = _run(pk)
    if track not in run.tracks:
        raise Http404(track)
    page = selectors.ranking_page(run, track, request.GET.get("page"))
    return render(request, "rankings/run_track.html", {
        "run": run, "track": track, "tracks": selectors.tracks(run), "header": selectors.track_header(run, track),
        "rows": page.object_list, "page": page, "last_check": selectors.last_check(run),
    })


@login_required
@permission_required(VIEW)
def city_explanation(request, pk, track, city_code):
    """Composite → dimension → indicator → figure and rule, or each expert's score."""
    run = _run(pk)
    try:
        tree = selectors.explanation(run, track, city_code)
    except KeyError:
        raise Http404(city_code) from None
    return render(request, "rankings/city_explanation.html", {"run": run, "track": track, "tree": tree})


@login_required
@permission_required(services.REPRODUCE_PERMISSION)
@require_POST
def reproduce(request, pk):
    run = _run(pk, with_result=True)
    if services.reproduce_run(user=request.user, run=run):
        messages.success(request, _("复算结果与存储结果逐字节一致。"))
    else:
        messages.error(request, _("复算结果与存储结果不一致，详见核对记录。"))
    track = request.POST.get("track")
    return redirect("rankings:run_track", pk=run.pk, track=track if track in run.tracks else run.tracks[0])


@login_required
@permission_required(services.EXPORT_PERMISSION)
def export_ranking(request, pk):
    return _download(*services.export_ranking(user=request.user, run=_run(pk)))


@login_required
@permission_required(services.EXPORT_PERMISSION)
def export_explanation(request, pk, track, city_code):
    run = _run(pk)
    try:
        return _download(*services.export_explanation(user=request.user, run=run, track=track, city_code=city_code))
    except KeyError:
        raise Http404(city_code) from None
