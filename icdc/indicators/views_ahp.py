"""The AHP page (层次分析法推导权重): pairwise judgements of one level of a system → weights and CR.

One page per (version, system, scope): scope empty compares the system's common dimensions,
a dimension code compares that dimension's indicators. “计算” previews (htmx swaps the form
and result; without JS it is an ordinary POST); “保存推导结果” records a WeightDerivation and
“应用为分值” writes the derived points into a draft — both through ``services``, which refuse
CR ≥ 0.10, published and locked versions, and audit what they do.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from icdc.accounts.decorators import permission_required
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.scoring.ahp import CR_LIMIT, PAIRS_IN_MESSAGE, judgement_text

from . import services
from .forms_ahp import PairwiseForm, initial_from_matrix
from .models import Dimension, Indicator, IndicatorSetVersion, IndicatorSystem, WeightDerivation
from .templatetags.indicators_tags import plain

CHANGE = "indicators.change_indicator_system"
ACTIONS = ("compute", "save", "apply")
HISTORY_LIMIT = 20


def _page_url(version, system, scope):
    if scope:
        return reverse("indicators:ahp_scope", args=[version.pk, system.code, scope])
    return reverse("indicators:ahp", args=[version.pk, system.code])


def _system(version, system_code):
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))
    dimensions = Dimension.objects.select_related("domain").prefetch_related(indicators).order_by("position", "id")
    return get_object_or_404(
        IndicatorSystem.objects.prefetch_related(Prefetch("dimensions", queryset=dimensions)),
        version=version, code=system_code,
    )


def _initial(request, version, system, scope, labels):
    """Selections to start from: ?from=<derivation> if given, else the latest derivation of this scope."""
    derivations = WeightDerivation.objects.filter(version=version, system_code=system.code, scope=scope)
    source = request.GET.get("from", "")
    # isascii: "²".isdigit() is true too, and int("²") would be a 500, not "no such derivation"
    derivation = derivations.filter(pk=source).first() if source.isascii() and source.isdigit() else derivations.first()
    return initial_from_matrix(labels, derivation.labels, derivation.matrix) if derivation else {}


def _result_context(preview, matrix, names, system, scope):
    """Rows the result panel shows: weights and points, the matrix, the disagreements."""
    result = preview.result
    rows = [{"code": code, "name": name, "weight": w * 100, "points": preview.points[code], "current": current}
            for (code, name, current), w in zip(preview.items, result.weights, strict=True)]
    judged = [{"code": code, "cells": [judgement_text(x) for x in row]}
              for code, row in zip(result.labels, matrix, strict=True)]
    disagreements = [{"a": d.a, "a_name": names.get(d.a, ""), "b": d.b, "b_name": names.get(d.b, ""),
                      "given": judgement_text(d.given), "implied": d.implied, "deviation": d.deviation,
                      "worst": n < PAIRS_IN_MESSAGE} for n, d in enumerate(result.disagreements)]
    spread = []
    if not scope:  # applying dimension points rescales each dimension's indicators
        for dimension in system.dimensions.all():
            if dimension.code in preview.points:
                spread.append({"dimension": dimension, "points": preview.points[dimension.code], "indicators": [
                    {"code": i.code, "name": i.name, "current": i.weight, "new": preview.weights.get(i.code)}
                    for i in dimension.indicators.all()]})
    return {"result": result, "rows": rows, "matrix": judged, "disagreements": disagreements, "spread": spread}


def _history(version, system, scope):
    rows = []
    derivations = WeightDerivation.objects.filter(version=version, system_code=system.code, scope=scope)
    for derivation in derivations.select_related("created_by")[:HISTORY_LIMIT]:
        derivation.point_list = [(label, derivation.points.get(label, "")) for label in derivation.labels]
        rows.append(derivation)
    return rows


@login_required
@permission_required(CHANGE)
def ahp_derive(request, pk, system_code, scope=""):
    version = get_object_or_404(IndicatorSetVersion, pk=pk)
    system = _system(version, system_code)
    try:
        items, total = services.derivation_items(version=version, system_code=system.code, scope=scope)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from exc
    dimension = next((d for d in system.dimensions.all() if d.code == scope), None) if scope else None
    labels = [code for code, _name, _points in items]
    names = {code: name for code, name, _points in items}
    preview, commit_errors, action = None, [], "compute"

    if request.method == "POST":
        form = PairwiseForm(request.POST, items=items)
        action = request.POST.get("action") or "compute"
        if action not in ACTIONS:
            form.add_error(None, _("无法识别的操作，请重新提交"))
        if form.is_valid():
            matrix = form.matrix()
            try:
                preview = services.preview_weight_derivation(
                    version=version, system_code=system.code, scope=scope, matrix=matrix, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
        if (preview is not None and action == "apply" and preview.result.acceptable and version.is_editable
                and not is_confirmed(request)):
            # Writing the weights is the irreversible step: ask first, naming every change.
            return confirmation_page(request, _apply_confirmation(version, system, scope, preview, request))
        if preview is not None and action != "compute" and preview.result.acceptable:
            done = _commit(request, action, version, system, scope, matrix, commit_errors)
            if done:
                url = _page_url(version, system, scope)
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        form = PairwiseForm(initial=_initial(request, version, system, scope, labels), items=items)

    context = {
        "version": version, "system": system, "scope": scope, "dimension": dimension, "items": items,
        "total": total, "form": form, "pair_rows": list(form.rows()), "action": action,
        "commit_errors": commit_errors, "can_commit": version.is_editable, "cr_limit": CR_LIMIT,
        "page_url": _page_url(version, system, scope),
    }
    if preview is not None:
        context.update(_result_context(preview, matrix, names, system, scope))
    if request.htmx:
        return render(request, "indicators/ahp_work.html", context)
    context["history"] = _history(version, system, scope)
    return render(request, "indicators/ahp_page.html", context)


def _apply_confirmation(version, system, scope, preview, request):
    """What “应用为分值” will write: each indicator whose points change, from → to."""
    current = {i.code: (i.name, i.weight) for d in system.dimensions.all() for i in d.indicators.all()}
    changes = [_("%(code)s %(name)s：%(old)s 分 → %(new)s 分") % {
        "code": code, "name": current[code][0], "old": plain(current[code][1]), "new": plain(new)}
        for code, new in preview.weights.items() if code in current and current[code][1] != new]
    level = (_("维度 %(code)s 的各指标") % {"code": scope}) if scope else _("体系 %(code)s 的各维度") % {"code": system.code}
    return Confirmation(
        title=_("将推导结果应用为分值（%(level)s）") % {"level": level},
        summary=_("将按层次分析法推导结果（CR = %(cr).3f）改写草稿版本 %(label)s 中 %(n)s 个指标的权重，体系合计仍为 100 分。")
        % {"cr": preview.result.cr, "label": version.label, "n": len(changes)},
        effects=changes or [_("推导结果与现有权重相同，不会改变任何指标。")],
        button=_("确认应用为分值"), cancel_url=_page_url(version, system, scope), irreversible=False,
        carry=request.POST,
    )


def _commit(request, action, version, system, scope, matrix, errors):
    """Save or apply an acceptable judgement; a refusal (in Chinese) goes to ``errors``."""
    try:
        if action == "save":
            derivation = services.record_weight_derivation(
                version=version, system_code=system.code, scope=scope, matrix=matrix, user=request.user)
            messages.success(request, _("已保存推导结果（CR = %(cr).3f）；各指标权重未改变，可再“应用为分值”。")
                             % {"cr": derivation.consistency_ratio})
        else:
            derivation, changed = services.apply_derived_weights(
                version=version, system_code=system.code, scope=scope, matrix=matrix, user=request.user)
            if changed:
                messages.success(request, _("已按推导结果（CR = %(cr).3f）更新体系 %(system)s 中 %(n)s 个指标的权重，"
                                            "体系合计仍为 100 分。")
                                 % {"cr": derivation.consistency_ratio, "system": system.code, "n": changed})
            else:
                messages.info(request, _("推导结果与现有权重相同，未作更改。"))
    except ValidationError as exc:
        errors.extend(exc.messages)
        return False
    return True
