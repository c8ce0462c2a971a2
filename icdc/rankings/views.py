"""Pages of scoring runs (Ministry officer only): list, ranking per track, a city's explanation,
re-check by recomputation, Excel exports. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.lib import workbooks
from icdc.lib.confirm import CONFIRM_FIELD, CONFIRM_VALUE, Confirmation, confirmation_page, is_confirmed

from . import batch_inputs, selectors, services
from .adapters import RunInputError
from .forms import BatchRunForm
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


def _choices(form):
    """The form's cleaned choices as the service's keyword arguments."""
    data = form.cleaned_data
    return {"batch": data["batch"], "system_code": data["system"] or None, "year": data["year"],
            "label": data["label"] or None, "seed": data["seed"]}


def _confirmation(preview, form) -> Confirmation:
    carry = {name: value for name, value in form.data.items() if name in form.fields and value not in (None, "")}
    return Confirmation(
        title=_("为批次“%(batch)s”生成评分运行") % {"batch": preview.batch.title},
        summary=_("将按批次的评价指标体系版本、名额、合格分数线和权重，对下列申报计算得分与排名，并保存完整的输入快照；"
                  "评分运行保存后不能修改，可随时复算核对。"),
        effects=[
            _("%(type)s：%(n)s 件申报，统计数据年份 %(year)s") % {"type": preview.system_label,
                                                           "n": preview.n_applications, "year": preview.year},
            _("已提交的专家评分表 %(n)s 份（草稿不计入）") % {"n": preview.n_sheets},
            _("专家答辩评分 %(n)s 个；未到场答辩 %(no_show)s 件") % {"n": preview.n_defence_scores,
                                                               "no_show": preview.n_no_shows},
            _("缺少数据的定量指标 %(n)s 项（按 0 分计）") % {"n": preview.n_missing_figures},
        ],
        button=_("生成评分运行"), cancel_url=reverse("rankings:run_list"), irreversible=False, danger=False,
        carry=carry)


@login_required
@permission_required(services.CREATE_PERMISSION)
@require_http_methods(["GET", "POST"])
def run_create(request):
    """Choose a batch (and type); see what will go in; confirm; the run is created and opened."""
    form = BatchRunForm(request.POST if request.method == "POST" else (request.GET or None))
    context = {"form": form, "systems": [], "preview": None, "error": None}
    if form.is_bound and form.is_valid():
        choices = _choices(form)
        context["systems"] = batch_inputs.systems(choices["batch"])
        if request.method == "POST" and is_confirmed(request):
            try:
                run = services.create_run_for_batch(user=request.user, **choices)
            except RunInputError as exc:
                context["error"] = exc.message
            else:
                messages.success(request, _("评分运行已生成。"))
                return redirect("rankings:run_detail", pk=run.pk)
        try:
            preview = batch_inputs.collect(**choices)
        except RunInputError as exc:
            context["error"] = context["error"] or exc.message
        else:
            confirmation = _confirmation(preview, form)
            if request.method == "POST" and not context["error"]:
                return confirmation_page(request, confirmation, action_url=reverse("rankings:run_create"))
            context.update(preview=preview, confirmation=confirmation, action_url=reverse("rankings:run_create"),
                           confirm_field=CONFIRM_FIELD, confirm_value=CONFIRM_VALUE)
    return render(request, "rankings/run_create.html", context)


@login_required
@permission_required(VIEW)
def run_leniency(request, pk):
    """Each expert's leniency as the engine calibrated it, beside the raw ranking."""
    run = _run(pk, with_result=True)
    return render(request, "rankings/run_leniency.html", {
        "run": run, "parts": selectors.leniency(run), "tracks": selectors.tracks(run),
        "last_check": selectors.last_check(run)})
