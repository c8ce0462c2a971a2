"""The city's pages of its application (申报): start, the form and its checklist, files, submit,
withdraw, frozen revisions and their differences. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icdc.accounts.decorators import permission_required
from icdc.batches.models import Batch
from icdc.lib.confirm import Confirmation, confirm_first, confirmation_page, is_confirmed
from icdc.lib.refusals import Refusal
from icdc.lib.stored_uploads import oversized_uploads_check
from icdc.review.defence import slots_for_application as defence_slots_for_application

from . import attachments, revisions, selectors, services, workflow
from . import form as form_definition
from .forms import AttachmentForm, SectionForm, WithdrawForm, initial_for
from .models import ApplicationRevision, Attachment

VIEW, CHANGE = "applications.view_application", "applications.change_application"


def _application(request, pk):
    """The application named by the URL, read once per request (404 for an id that names none)."""
    cached = getattr(request, "_icdc_application", None)
    if cached is None or cached.pk != pk:
        cached = selectors.application_for_page(pk)
        request._icdc_application = cached
    return cached


def _get_application(request, pk, **kwargs):
    """The object the permission is checked on. An id that names no application is a 404 for a city
    applicant (applications are theirs to hold) and a refusal for every other role, the same answer
    they get for a real application they may not see: an id cannot be probed."""
    try:
        return _application(request, pk)
    except Http404:
        if request.user.has_perm("applications.view_city_applications"):
            raise
        return None


def _detail_url(application, anchor=""):
    url = reverse("applications:detail", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@permission_required("applications.view_city_applications")
def application_list(request):
    """The city's applications, and the open batches it may start one in."""
    mine = list(selectors.city_applications(request.user))
    started = {a.batch_id for a in mine}
    batches = [b for b in selectors.open_batches() if b.pk not in started]
    return render(request, "applications/list.html", {"applications": mine, "batches": batches})


def _city(request, **kwargs):
    return request.user.division if request.user.is_authenticated else None


@login_required
@permission_required("applications.start_application", _city)
@require_http_methods(["GET", "POST"])
def application_start(request, batch_pk):
    """Art. 8: start the city's one application of an open batch; the route is shown, not chosen."""
    batch = get_object_or_404(Batch, pk=batch_pk)
    city = request.user.division
    programme = batch.programme()
    verdict = programme.is_eligible(city)
    route = programme.route_for(city) if verdict else None
    if request.method == "POST":
        try:
            application = services.application_start(batch=batch, city=city, user=request.user, request=request)
        except Refusal as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已创建申报 %(number)s，请逐项填写；每一部分单独保存。") % {
                "number": application.number})
            return redirect(_detail_url(application))
    return render(request, "applications/start.html", {"batch": batch, "city": city, "verdict": verdict,
                                                       "route": route, "programme": programme})


def _section_forms(application, page, bound=None):
    """(Section, SectionForm, stored row, files) for every section; ``bound`` replaces one by a bound form."""
    out = []
    for section in page["definition"].sections:
        row = page["sections"].get(section.key)
        files = page["attachments"].get(section.key, [])
        if bound is not None and bound.section.key == section.key:
            out.append((section, bound, row, files))
            continue
        form = SectionForm(section, initial=initial_for(section, row.data if row else {}, row.version if row else 0),
                           prefix=section.key)
        out.append((section, form, row, files))
    return out


def _detail_context(request, application, *, bound=None, conflict=None):
    can_change = request.user.has_perm(CHANGE, application)
    context = {"application": application, "can_change": can_change,
               "revisions": selectors.revisions(application),
               "can_withdraw": not workflow.WORKFLOW.blockers(application, "withdraw", request.user),
               "now": timezone.now()}
    if can_change:
        page = selectors.draft_page(application)
        name = workflow.submit_transition(application)
        context.update(page, forms=_section_forms(application, page, bound), conflict=conflict,
                       materials=[(m, page["attachments"].get(m.purpose, [])) for m in page["definition"].materials],
                       submit_blockers=workflow.WORKFLOW.blockers(application, name, request.user),
                       upload_form=AttachmentForm())
        if application.status == workflow.RETURNED:
            context["last_review"] = application.provincial_reviews.order_by("-revision_number").first()
    if application.status in (workflow.SUPPLEMENT, workflow.REJECTED):
        from icdc.review.formal import last_decision

        context["formal_decision"] = last_decision(application)
    elif context["revisions"]:
        latest = context["revisions"][-1]
        context["revision"] = latest
        context["rows"], files = revisions.revision_sections(application, latest.content, request.user)
        context["files"] = _with_links(application, files)
        # a defence is scheduled only for an application at the Ministry (one query, only then)
        context["defence_slots"] = defence_slots_for_application(application) if application.arrived_at else []
    return context


def _with_links(application, files):
    """The frozen files, each with the attachment row that holds it (for a download link)."""
    by_hash = {(a.purpose, a.sha256): a.pk for a in application.attachments.all()}
    return [(label, [{**item, "attachment_pk": by_hash.get((item.get("purpose"), item.get("sha256")))}
                     for item in items]) for label, items in files]


@login_required
@permission_required(VIEW, _get_application)
def application_detail(request, pk):
    """The application: while a draft (or returned), the form by sections with its live checklist;
    afterwards the latest frozen revision."""
    application = _application(request, pk)
    return render(request, "applications/detail.html", _detail_context(request, application))


def _htmx(request):
    return request.headers.get("HX-Request") == "true"


@login_required
@permission_required(CHANGE, _get_application)
@require_http_methods(["GET", "POST"])
def section_save(request, pk, key):
    """Save one section (the explicit button, or htmx autosave while typing). A conflict keeps the
    user's text in the form, says who saved in between and when, and shows that version."""
    application = _application(request, pk)
    if request.method == "GET":
        return redirect(_detail_url(application, key))
    section = form_definition.definition(application).section(key)
    if section is None:
        raise Http404
    form = SectionForm(section, request.POST, prefix=key)
    conflict = None
    if form.is_valid():
        previous = application.sections.filter(key=key).values_list("data", flat=True).first()
        try:
            saved = services.section_save(application=application, key=key, data=form.section_data(previous),
                                          expected_version=form.cleaned_data["expected_version"],
                                          user=request.user, request=request)
        except Refusal as exc:
            if exc.code != "edit_conflict":
                if _htmx(request):
                    return render(request, "applications/_save_status.html", {"error": str(exc), "key": key})
                messages.error(request, str(exc))
                return redirect(_detail_url(application, key))
            conflict = _conflict(request, application, section, exc, form)
        else:
            if _htmx(request):
                application.refresh_from_db()
                page = selectors.draft_page(application)
                return render(request, "applications/_save_status.html", {
                    "saved": saved, "key": key, "version_field": form["expected_version"], **page,
                    "application": application, "type_changed": key == form_definition.TYPE})
            messages.success(request, _("“%(section)s”已保存。") % {"section": section.title})
            return redirect(_detail_url(application, key))
    if _htmx(request):
        page = selectors.draft_page(application)
        response = render(request, "applications/_section.html", {
            "application": application, "section": section, "form": form, "row": page["sections"].get(key),
            "conflict": conflict, "files": page["attachments"].get(key, []), "can_change": True})
        response["HX-Retarget"], response["HX-Reswap"] = f"#section-{key}", "outerHTML"
        return response
    context = _detail_context(request, application, bound=form, conflict=conflict)
    return render(request, "applications/detail.html", context, status=409 if conflict else 400)


def _conflict(request, application, section, refusal, form):
    """The other person's version, shown beside the user's kept text; the form now names that
    version, so saving again (after checking) deliberately replaces it."""
    row = application.sections.select_related("updated_by").get(key=section.key)
    data = form.data.copy()
    data[form.add_prefix("expected_version")] = str(row.version)
    form.data = data
    rows, _files = revisions.revision_sections(
        application, {"type": application.type_code, "domains": application.domain_codes,
                      "sections": {section.key: row.data}}, request.user)
    theirs = next((r for s, r in rows if s.key == section.key), [])
    return {"key": section.key, "message": str(refusal), "rows": theirs, "by": row.updated_by,
            "at": row.updated_at}


@login_required
@permission_required(CHANGE, _get_application)
@require_POST
def attachment_upload(request, pk):
    application = _application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    purpose = request.POST.get("purpose", "")
    try:
        oversized_uploads_check(request=request)  # a file dropped while arriving is not "no file"
    except Refusal as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(application, purpose))
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(_detail_url(application, purpose))
    try:
        attachment = attachments.attachment_upload(application=application, purpose=form.cleaned_data["purpose"],
                                                   uploaded_file=form.cleaned_data["file"], user=request.user,
                                                   request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已上传“%(name)s”。") % {"name": attachment.display_name})
    return redirect(_detail_url(application, purpose))


def _attachment(request, pk, attachment_pk):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    attachment.application = application
    return attachment


def _describe_remove(request, pk, attachment_pk):
    attachment = _attachment(request, pk, attachment_pk)
    return Confirmation(
        title=_("移除附件"), summary=_("从申报草稿中移除附件“%(name)s”？") % {"name": attachment.display_name},
        button=_("移除附件"), cancel_url=_detail_url(attachment.application, attachment.purpose),
        effects=[_("已提交过的修订版本中的该文件仍保留，可供核对；未提交过的文件将被删除。")])


@login_required
@permission_required(CHANGE, _get_application)
@confirm_first(_describe_remove)
def attachment_remove(request, pk, attachment_pk):
    attachment = _attachment(request, pk, attachment_pk)
    try:
        attachments.attachment_remove(attachment=attachment, user=request.user, request=request)
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已移除附件“%(name)s”。") % {"name": attachment.display_name})
    return redirect(_detail_url(attachment.application, attachment.purpose))


@login_required
@permission_required(VIEW, _get_application)
def attachment_download(request, pk, attachment_pk):
    attachment = _attachment(request, pk, attachment_pk)
    return attachments.attachment_download(attachment=attachment, user=request.user, request=request)


@login_required
@permission_required(CHANGE, _get_application)
@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    """Arts. 10–11: submit (to the province, or straight to the Ministry): a confirmation page that
    lists anything still blocking, then the one transition service."""
    application = _application(request, pk)
    name = workflow.submit_transition(application)
    blockers = workflow.WORKFLOW.blockers(application, name, request.user)
    if is_confirmed(request):
        try:
            services.application_submit(application=application, user=request.user, request=request)
        except Refusal as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(application))
        messages.success(request, _("申报已提交。提交内容已冻结为修订版本，可打印申报表PDF盖章。"))
        return redirect(_detail_url(application))
    if blockers:
        for reason in blockers:
            messages.error(request, reason)
        return redirect(_detail_url(application))
    if name == "answer_supplement":
        from icdc.review.formal import beijing, supplement_deadline

        return confirmation_page(request, Confirmation(
            title=_("提交补充材料"), summary=_("将补充后的申报 %(number)s 提交工业和信息化部形式审查？") % {
                "number": application.number},
            button=_("确认提交"), cancel_url=_detail_url(application), irreversible=False, danger=False,
            effects=[_("提交后本修订版本的全部内容和附件将被冻结，不能再修改。"),
                     _("截止时间：%(deadline)s（北京时间）") % {"deadline": beijing(supplement_deadline(application))}]))
    target = _("工业和信息化部") if application.route == "direct" else application.province.name
    return confirmation_page(request, Confirmation(
        title=_("提交申报"), summary=_("将申报 %(number)s 提交%(target)s？") % {"number": application.number,
                                                                             "target": target},
        button=_("确认提交"), cancel_url=_detail_url(application), irreversible=False, danger=False,
        effects=[_("提交后本修订版本的全部内容和附件将被冻结，不能再修改；退回修改时将开启新的修订版本。"),
                 _("截止时间：%(deadline)s（北京时间）") % {"deadline": application.batch.city_deadline_display}]))


@login_required
@permission_required("applications.withdraw_application", _get_application)
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    """The city withdraws its application (until the Ministry's formal review starts), with a reason
    and a confirmation step."""
    application = _application(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not is_confirmed(request):
            return confirmation_page(request, Confirmation(
                title=_("撤回申报"), summary=_("撤回申报 %(number)s？") % {"number": application.number},
                button=_("确认撤回"), cancel_url=_detail_url(application), carry=request.POST,
                effects=[_("撤回后本批次的申报终止，不能恢复；每个城市每批次只能申报一次。"),
                         _("撤回理由：%(reason)s") % {"reason": form.cleaned_data["reason"]}]))
        try:
            services.application_withdraw(application=application, user=request.user,
                                          reason=form.cleaned_data["reason"], request=request)
        except Refusal as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("申报已撤回。"))
        return redirect(_detail_url(application))
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


def _revision(application, number):
    return get_object_or_404(ApplicationRevision.objects.select_related("frozen_by"), application=application,
                             number=number)


@login_required
@permission_required(VIEW, _get_application)
def revision_detail(request, pk, number):
    application = _application(request, pk)
    revision = _revision(application, number)
    rows, files = revisions.revision_sections(application, revision.content, request.user)
    return render(request, "applications/revision.html", {
        "application": application, "revision": revision, "rows": rows, "files": _with_links(application, files),
        "revisions": selectors.revisions(application), "now": timezone.now()})


@login_required
@permission_required(VIEW, _get_application)
def revision_compare(request, pk, number, other):
    """The differences between two revisions, field by field (files by SHA-256)."""
    application = _application(request, pk)
    old, new = _revision(application, number), _revision(application, other)
    rows, file_rows = revisions.revision_diff(application, old.content, new.content, request.user)
    return render(request, "applications/compare.html", {
        "application": application, "old": old, "new": new, "rows": rows, "file_rows": file_rows,
        "now": timezone.now()})
