"""Pages of the expert pool (专家库) and of the expert's declarations. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icdc.accounts.decorators import permission_required
from icdc.accounts.models import Role
from icdc.audit.context import client_ip
from icdc.batches.models import Batch
from icdc.lib import workbooks
from icdc.lib.confirm import Confirmation, confirmation_page, is_confirmed
from icdc.lib.masking import mask_id_number, mask_phone, visible_phone
from icdc.lib.refusals import Refusal

from . import panels, selectors, services
from .forms import ConflictsForm, ExpertFilterForm, ExpertForm, ExpertImportForm, PanelDeclineForm, PanelDrawForm
from .models import Expert, PanelDraw
from .texts import DRAW_REASONS

VIEW, MANAGE = services.VIEW, services.MANAGE
OWN = "review.view_own_expert_entry"
PAGE_SIZE = 50
#: Who reads an expert's mobile in full on the detail page: the officer who contacts them (and
#: the expert themself). Lists, exports and the audit trail always mask it; the ID number is
#: masked for everyone but the expert.
FULL_MOBILE_ROLES = {Role.MINISTRY_OFFICER}


def _expert(pk):
    return get_object_or_404(Expert.objects.select_related("city__parent", "account"), pk=pk)


@login_required
@permission_required(VIEW)
def expert_list(request):
    form = ExpertFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.experts(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(selectors.domain_choices())
    for expert in page.object_list:
        expert.shown_mobile = mask_phone(expert.mobile)
        expert.shown_id_number = mask_id_number(expert.id_number)
        expert.province = selectors.province_of(expert.city)
        expert.speciality_labels = [labels.get(c, c) for c in expert.specialities]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "review/experts/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "can_manage": request.user.has_perm(MANAGE),
    })


@login_required
@permission_required(VIEW)
def expert_detail(request, pk):
    expert = _expert(pk)
    labels = dict(selectors.domain_choices())
    return render(request, "review/experts/detail.html", {
        "expert": expert, "can_manage": request.user.has_perm(MANAGE),
        "shown_mobile": visible_phone(request.user, expert.account, expert.mobile, full_roles=FULL_MOBILE_ROLES),
        "shown_id_number": mask_id_number(expert.id_number), "province": selectors.province_of(expert.city),
        "speciality_labels": [labels.get(c, c) for c in expert.specialities],
        "conflict_cities": expert.conflict_cities.order_by("code"),
        "declarations": expert.declarations.select_related("batch").order_by("-signed_at"),
    })


def _service_arguments(data):
    return {k: data[k] for k in ("name", "id_number", "mobile", "employer", "city", "title", "specialities",
                                 "is_active", "load_limit")}


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def expert_new(request):
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert, password = services.expert_create(user=request.user, **_service_arguments(form.cleaned_data))
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            return render(request, "review/experts/created.html", {"expert": expert, "password": password})
    return render(request, "review/experts/form.html", {"form": form, "expert": None})


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk):
    expert = _expert(pk)
    initial = {"name": expert.name, "mobile": expert.mobile, "employer": expert.employer, "city": expert.city_id,
               "title": expert.title, "specialities": expert.specialities, "is_active": expert.is_active,
               "load_limit": expert.load_limit}
    form = ExpertForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update(user=request.user, expert=expert, **_service_arguments(form.cleaned_data))
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已保存专家信息。"))
            return redirect("experts:detail", pk=expert.pk)
    return render(request, "review/experts/form.html", {"form": form, "expert": expert})


@login_required
@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def expert_import(request):
    """Upload a file; all or nothing, with every bad row listed (row, column, reason)."""
    form = ExpertImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.expert_import(user=request.user, filename=upload.name, content=upload.read())
    return render(request, "review/experts/import.html", {"form": form, "report": report},
                  status=422 if report is not None and not report.ok else 200)


@login_required
@permission_required(MANAGE)
def expert_template(request):
    content, filename = services.experts_template(user=request.user)
    return workbooks.download(content, filename=filename, content_type=workbooks.XLSX_TYPE)


@login_required
@permission_required(VIEW)
def expert_export(request):
    content, filename = services.experts_export(user=request.user, **ExpertFilterForm(request.GET or None).filters())
    return workbooks.download(content, filename=filename, content_type=workbooks.XLSX_TYPE)


# --- the expert's own pages -----------------------------------------------------------------

@login_required
@permission_required(OWN)
@require_http_methods(["GET", "POST"])
def my_conflicts(request):
    """The expert's own entry (numbers in full, it is theirs) and the conflicts they declare (回避)."""
    expert = selectors.expert_of(request.user)
    initial = {"cities": list(expert.conflict_cities.values_list("code", flat=True)),
               "employers": "\n".join(expert.conflict_employers)}
    form = ConflictsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_conflicts_declare(user=request.user, expert=expert, cities=form.cleaned_data["cities"],
                                              employers=form.cleaned_data["employers"])
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已保存回避申报。"))
            return redirect("experts:my_conflicts")
    batches = Batch.objects.exclude(status="draft").order_by("-year", "-id")
    signed = set(expert.declarations.values_list("batch_id", flat=True))
    return render(request, "review/declarations/conflicts.html", {
        "expert": expert, "form": form, "province": selectors.province_of(expert.city),
        "batches": [(b, b.pk in signed) for b in batches],
    })


@login_required
@permission_required(OWN)
@require_http_methods(["GET", "POST"])
def declaration(request, batch_pk):
    """Read and sign the 回避声明与保密承诺 of one batch (a confirmation step before signing)."""
    batch = Batch.objects.exclude(status="draft").filter(pk=batch_pk).first()
    if batch is None:
        raise Http404
    expert = selectors.expert_of(request.user)
    text, sha = services.declaration_for(expert=expert, batch=batch)
    signed = selectors.declaration_of(expert, batch)
    if request.method == "POST" and signed is None:
        if not is_confirmed(request):
            return confirmation_page(request, Confirmation(
                title=_("签署回避声明与保密承诺：%(batch)s") % {"batch": batch.title},
                summary=_("签署后即表示您已阅读并同意声明全文。签署记录（声明文本版本、文本指纹、时间、IP）不可撤销。"),
                button=_("确认签署"), cancel_url=request.path, danger=False, carry=request.POST))
        try:
            services.declaration_sign(user=request.user, batch=batch, shown_sha256=request.POST.get("sha256", ""),
                                      ip=client_ip(request))
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已签署回避声明与保密承诺。"))
        return redirect(reverse("experts:declaration", args=[batch.pk]))
    return render(request, "review/declarations/sign.html", {
        "batch": batch, "text": text, "sha256": sha, "signed": signed})


# --- review panels drawn at random (随机抽取, issue 14 item 3) ---

DRAW_PANELS = panels.DRAW


def _panel_rows(batch, draws):
    """Each draw with its experts' masked names, reason labels and whether a re-run gives the same panel."""
    ids = {e for d in draws for e in (*d.members, *d.reserves, *d.drawn_members, *(x["expert"] for x in d.excluded),
                                      *(r["substitute"] for r in d.replacements))}
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=ids).select_related("city")}

    def person(pk):
        expert = experts.get(pk)
        return {"pk": pk, "name": expert.masked_name if expert else "—", "employer": expert.employer if expert else "",
                "city": expert.city.name if expert else ""}

    programme, rows = batch.programme(), []
    current = set(panels.current_draws(batch).values_list("pk", flat=True))
    for d in draws:
        rows.append({
            "draw": d, "group_label": programme.track_label(d.group), "verified": panels.panel_draw_verify(draw_record=d)[0],
            "is_current": d.pk in current,
            "members": [{**person(pk), "is_leader": pk == d.leader} for pk in d.members],
            "reserves": [person(pk) for pk in d.reserves],
            "excluded": [{**person(x["expert"]), "reason": DRAW_REASONS.get(x["reason"], x["reason"])}
                         for x in d.excluded],
            "replacements": [{**r, "expert_name": person(r["expert"])["name"],
                              "substitute_name": person(r["substitute"])["name"]} for r in d.replacements],
        })
    return rows


@login_required
@permission_required(DRAW_PANELS)
def panel_list(request, batch_pk):
    batch = get_object_or_404(Batch, pk=batch_pk)
    draws = list(PanelDraw.objects.filter(batch=batch).select_related("drawn_by", "replaces"))
    return render(request, "review/panels/list.html", {
        "batch": batch, "rows": _panel_rows(batch, draws),
        "form": PanelDrawForm(groups=panels.group_choices(batch)), "decline_form": PanelDeclineForm(),
    })


@login_required
@permission_required(DRAW_PANELS)
@require_http_methods(["GET", "POST"])
def panel_draw(request, batch_pk):
    batch = get_object_or_404(Batch, pk=batch_pk)
    list_url = reverse("experts:panels", args=[batch.pk])
    if request.method != "POST":
        return redirect(list_url)
    groups = panels.group_choices(batch)
    form = PanelDrawForm(request.POST, groups=groups)
    if not form.is_valid():
        messages.error(request, _("请检查抽取条件：%(errors)s") % {"errors": "；".join(
            str(e) for errors in form.errors.values() for e in errors)})
        return redirect(list_url)
    data = form.cleaned_data
    label = dict(groups).get(data["group"], data["group"])
    if not is_confirmed(request):
        previous = panels.current_draw(batch, data["group"])
        effects = [_("评审组：%(group)s；专家 %(size)s 人，备选 %(reserves)s 人") % {
            "group": label, "size": data["size"], "reserves": data["reserves"]},
            _("随机种子、专家库快照及其 SHA-256 均记录在案，可复核。")]
        if previous:
            effects.append(_("该组已有抽取记录（%(when)s），本次为重新抽取，原记录保留。") % {
                "when": previous.drawn_at.strftime("%Y-%m-%d %H:%M")})
        return confirmation_page(request, Confirmation(
            title=_("随机抽取评审专家：%(group)s") % {"group": label},
            summary=_("从专家库中按回避规则随机抽取本组评审专家，抽取结果不可删除或修改。"),
            button=_("确认抽取"), cancel_url=list_url, effects=effects, carry=request.POST))
    try:
        panels.panel_draw(batch=batch, group=data["group"], size=data["size"], reserves=data["reserves"],
                          user=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已抽取%(group)s评审专家。") % {"group": label})
    return redirect(list_url)


@login_required
@permission_required(DRAW_PANELS)
@require_http_methods(["GET", "POST"])
def panel_decline(request, pk):
    draw_record = get_object_or_404(PanelDraw.objects.select_related("batch"), pk=pk)
    list_url = reverse("experts:panels", args=[draw_record.batch_id])
    if request.method != "POST":
        return redirect(list_url)
    form = PanelDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写专家不能参加的原因。"))
        return redirect(list_url)
    expert = Expert.objects.filter(pk=form.cleaned_data["expert"]).first()
    if expert is None or expert.pk not in draw_record.members:
        messages.error(request, _("该专家不是本组的评审专家。"))
        return redirect(list_url)
    if not is_confirmed(request):
        substitute = Expert.objects.filter(pk=draw_record.reserves[0]).first() if draw_record.reserves else None
        return confirmation_page(request, Confirmation(
            title=_("专家 %(name)s 不参加评审") % {"name": expert.masked_name},
            summary=_("由第一位备选专家替补，替补记录保留。"), button=_("确认替补"), cancel_url=list_url,
            effects=[_("原因：%(reason)s") % {"reason": form.cleaned_data["reason"]},
                     _("替补专家：%(name)s") % {"name": substitute.masked_name} if substitute
                     else _("备选专家已用完，请重新抽取本组专家（原抽取记录将保留）。")],
            carry=request.POST))
    try:
        panels.panel_member_decline(draw_record=draw_record, expert=expert, reason=form.cleaned_data["reason"],
                                    user=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已由备选专家替补。"))
    return redirect(list_url)
