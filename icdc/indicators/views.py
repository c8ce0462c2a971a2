"""Pages for indicator-system versions (SPEC §3). Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.audit.services import record_event
from icdc.lib import uploads, workbooks
from icdc.lib.confirm import Confirmation, confirm_first
from icdc.lib.refusals import Refusal

from . import selectors, services
from .forms import IndicatorForm, NewVersionForm, VersionUploadForm, WeightsForm, indicator_initial
from .models import Indicator, IndicatorSetVersion, IndicatorSystem
from .yaml_io import MAX_BYTES as YAML_MAX_BYTES
from .yaml_io import DocumentError, dump_yaml, load_document

VIEW = "indicators.view_indicator_system"
CHANGE = "indicators.change_indicator_system"


def _version(pk):
    return get_object_or_404(IndicatorSetVersion, pk=pk)


@login_required
@permission_required(VIEW)
def version_list(request):
    return render(request, "indicators/version_list.html", {"versions": selectors.versions()})


@login_required
@permission_required(VIEW)
def version_detail(request, pk):
    version = get_object_or_404(IndicatorSetVersion.objects.select_related("derived_from"), pk=pk)
    return render(request, "indicators/version_detail.html", {
        "version": version, **selectors.version_tree(version), "new_form": NewVersionForm(),
        "can_change": request.user.has_perm(CHANGE),
    })


@login_required
@permission_required(VIEW)
def version_yaml(request, pk):
    """Download a version as YAML, the same format the upload and ``load_indicators`` accept."""
    version = _version(pk)
    text = dump_yaml(selectors.version_document(version))
    record_event(action="indicators.version.export", request=request, obj=version, detail="yaml")
    return workbooks.download(text.encode("utf-8"), filename=_("指标体系-%(label)s.yaml") % {"label": version.label},
                              fallback=f"indicators-{version.pk}.yaml", content_type="application/x-yaml; charset=utf-8")


@login_required
@permission_required(CHANGE)
def version_upload(request):
    """Upload a YAML as a new version; every problem is listed and nothing is saved on error."""
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = upload.read()
            uploads.upload_check(name=upload.name, content=content, kinds={"yaml", "yml"}, max_bytes=YAML_MAX_BYTES)
            document = load_document(content, label=form.cleaned_data["label"] or None)
            version, created = services.import_version_document(document=document, user=request.user)
        except Refusal as exc:
            problems = [str(exc)]
        except DocumentError as exc:
            problems = [str(p) for p in exc.problems]
        except ValidationError as exc:
            problems = exc.messages
        else:
            if created:
                messages.success(request, _("已导入指标体系版本 %(label)s（草稿）") % {"label": version.label})
            else:
                messages.info(request, _("版本 %(label)s 已存在且内容相同，未作更改") % {"label": version.label})
            return redirect("indicators:version_detail", pk=version.pk)
    return render(request, "indicators/version_upload.html", {"form": form, "problems": problems})


def _run(request, action, success):
    """Call a state-changing service; show its refusal (in Chinese) or ``success``."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, success)
    return result


def _not_a_draft(request, version):
    """Nothing to confirm on a published or locked version: say why and go back."""
    messages.error(request, _("版本 %(label)s 不是草稿，不能发布或删除。") % {"label": version.label})
    return redirect("indicators:version_detail", pk=version.pk)


def _confirm_publish(request, pk):
    version = _version(pk)
    if not version.is_editable:
        return _not_a_draft(request, version)
    counts = selectors.version_counts(version)
    return Confirmation(
        title=_("发布指标体系版本 %(label)s") % {"label": version.label},
        summary=_("发布后该版本即冻结，可供批次选用。"),
        effects=[
            _("%(systems)s 个指标体系、%(indicators)s 个指标的名称、权重和计分参数从此不能修改") % counts,
            _("如需调整，只能“以此为基础新建版本”，在新版本中修改"),
            _("发布的版本不能删除"),
        ],
        button=_("确认发布"), cancel_url=reverse("indicators:version_detail", args=[version.pk]), danger=False,
    )


@login_required
@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
@confirm_first(_confirm_publish)
def version_publish(request, pk):
    version = _version(pk)
    _run(request, lambda: services.publish_version(version=version, user=request.user),
         _("版本 %(label)s 已发布，可供批次选用") % {"label": version.label})
    return redirect("indicators:version_detail", pk=pk)


@login_required
@permission_required(CHANGE)
@require_POST
def version_new(request, pk):
    version = _version(pk)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("indicators:version_detail", pk=pk)
    label = form.cleaned_data["label"]
    new = _run(request, lambda: services.new_version_from(version=version, user=request.user, label=label),
               _("已以 %(old)s 为基础新建版本 %(new)s（草稿）") % {"old": version.label, "new": label})
    return redirect("indicators:version_detail", pk=new.pk if new else pk)


def _confirm_delete(request, pk):
    version = _version(pk)
    if not version.is_editable:
        return _not_a_draft(request, version)
    counts = selectors.version_counts(version)
    return Confirmation(
        title=_("删除草稿版本 %(label)s") % {"label": version.label},
        summary=_("将永久删除该草稿版本及其全部内容。"),
        effects=[
            _("%(systems)s 个指标体系、%(dimensions)s 个维度、%(indicators)s 个指标及其权重") % counts,
            _("%(derivations)s 条层次分析法（AHP）推导记录") % counts,
            _("删除操作记入审计日志；已下载的 YAML 文件不受影响"),
        ],
        button=_("确认删除"), cancel_url=reverse("indicators:version_detail", args=[version.pk]),
    )


@login_required
@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
@confirm_first(_confirm_delete)
def version_delete(request, pk):
    version = _version(pk)
    done = _run(request, lambda: services.delete_version(version=version, user=request.user) or True,
                _("草稿版本 %(label)s 已删除") % {"label": version.label})
    return redirect("indicators:version_list") if done else redirect("indicators:version_detail", pk=pk)


def _frozen(request, version, template, context):
    """A published or locked version is shown read-only: no fields, no Save. A POST (an old tab,
    a crafted request) changes nothing and says why (409 Conflict)."""
    reason = services.frozen_reason(version)
    if request.method == "POST":
        messages.error(request, reason)
    return render(request, template, {**context, "version": version, "reason": reason},
                  status=409 if request.method == "POST" else 200)


@login_required
@permission_required(CHANGE)
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("version", "dimension__system"), pk=pk)
    version = indicator.version
    if not version.is_editable:
        return _frozen(request, version, "indicators/indicator_detail.html", {"indicator": indicator})
    form = IndicatorForm(request.POST or None, initial=indicator_initial(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(indicator=indicator, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("指标 %(code)s 已保存") % {"code": form.cleaned_data["code"]})
            return redirect("indicators:version_detail", pk=version.pk)
    return render(request, "indicators/indicator_form.html", {
        "form": form, "indicator": indicator, "version": version,
    })


@login_required
@permission_required(CHANGE)
def weights_edit(request, pk, system_code):
    version = _version(pk)
    system = get_object_or_404(IndicatorSystem, version=version, code=system_code)
    indicators = list(
        Indicator.objects.filter(dimension__system=system).select_related("dimension__domain")
        .order_by("dimension__position", "dimension__id", "position", "id")
    )
    if not version.is_editable:
        return _frozen(request, version, "indicators/weights_detail.html", {"system": system, "indicators": indicators})
    form = WeightsForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_weights(version=version, system_code=system.code, weights=form.weights(),
                                    user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("体系 %(code)s 的权重已保存") % {"code": system.code})
            return redirect("indicators:version_detail", pk=version.pk)
    rows = [(indicator, form[indicator.code]) for indicator in indicators]
    return render(request, "indicators/weights_form.html", {
        "form": form, "rows": rows, "version": version, "system": system,
    })
