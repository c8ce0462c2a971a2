"""Services for applications (申报) and the province's preliminary review (初审).

Every state change goes through the declared workflow (``workflow.py``) and the one transition
service ``icdc.lib.workflow.perform``; these functions name the programme's actions and prepare
their data. Saving a draft section is not a state change of the lifecycle but is atomic, guarded
against lost updates and audited the same way.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icdc.accounts.decorators import require_perm
from icdc.audit.services import record_event
from icdc.divisions.models import Division
from icdc.lib.refusals import Refusal
from icdc.lib.workflow import perform

from . import form as form_definition
from . import workflow
from .models import Application, ApplicationSection

DUPLICATE = _("本市在本批次已有申报，每个城市每批次只能申报一次（第八条）。")


def application_start(*, batch, city, user, request=None):
    """Art. 8: a city opens its one application of the batch. Eligibility (art. 5) and route and
    province (art. 10) come from the division data and the programme definition, never from the form."""
    require_perm(user, "applications.start_application", city, request=request)
    programme = batch.programme()
    verdict = programme.is_eligible(city)
    if not verdict:
        raise Refusal(verdict.reason, code="not_eligible")
    now = timezone.now()
    if batch.status != "open" or (batch.city_deadline and now >= batch.city_deadline):
        raise Refusal(_("本批次当前不受理申报。"), code="batch_not_open")
    route = programme.route_for(city)
    province = None if route.is_direct else Division.objects.get(code=route.channel_code)
    if Application.objects.filter(batch=batch, city=city).exists():
        raise Refusal(DUPLICATE, code="duplicate")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                batch=batch, city=city, route=route.kind, province=province,
                number=f"{batch.year}-{batch.pk:03d}-{city.code}", created_by=user)
            record_event(action="applications.application.create", request=request, user=user, obj=application,
                         after={"route": application.route, "province": application.province_id or ""})
    except IntegrityError as exc:  # two starts at once: the database constraint decides
        raise Refusal(DUPLICATE, code="duplicate") from exc
    return application


def section_save(*, application, key, data, expected_version, user, request=None):
    """Save one section of a draft. ``expected_version`` is the version the editor started from: if
    someone saved in between, nothing is written and the refusal says who and when (their text
    stays in the editor's form, the caller keeps it)."""
    require_perm(user, "applications.change_application", application, request=request)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in workflow.EDITABLE:
            raise Refusal(_("申报已提交（%(state)s），不能再修改。"), code="not_editable",
                          params={"state": application.get_status_display()})
        section_def = form_definition.definition(application).section(key)
        if section_def is None:
            raise Refusal(_("申报表中没有这一部分（%(key)s），请刷新页面。"), code="unknown_section", params={"key": key})
        section, _created = ApplicationSection.objects.select_related("updated_by").get_or_create(
            application=application, key=key)
        if section.version != expected_version:
            raise Refusal(_("“%(section)s”已被 %(who)s 于 %(when)s 修改，您的内容未保存（已为您保留在表单中），"
                            "请核对后再保存。"), code="edit_conflict",
                          params={"section": section_def.title, "who": str(section.updated_by or "—"),
                                  "when": timezone.localtime(section.updated_at).strftime("%Y-%m-%d %H:%M:%S")})
        before_version = section.version
        if key == form_definition.TYPE:
            data = _type_choice(application, data)
        section.data, section.version, section.updated_by = data, section.version + 1, user
        section.save()
        record_event(action="applications.section.save", request=request, user=user, obj=application,
                     before={"section": key, "version": before_version},
                     after={"section": key, "version": section.version})
    return section


def _type_choice(application, data):
    """Art. 8: one type per batch; a type that chooses domains names them (one or more: the checklist
    asks until there is one), any other names none. Kept on the application for lists and scoring."""
    programme = application.batch.programme()
    type_code = data.get("type") or ""
    domains = [code for code in data.get("domains") or [] if code]
    if type_code:
        chosen = programme.type(type_code)
        if not chosen.chooses_domains:
            domains = []
        elif domains:
            programme.check_choice(type_code, domains)
    application.type_code, application.domain_codes = type_code, domains
    application.save(update_fields=["type_code", "domain_codes", "updated_at"])
    return {"type": type_code, "domains": domains}


def application_submit(*, application, user, request=None):
    """Art. 10–11: submit a complete application before the deadline: to the province, or straight
    to the Ministry for the 直辖市 and 计划单列市. Freezes a revision."""
    name = workflow.submit_transition(application)
    return perform(workflow.WORKFLOW, application, name, user=user, request=request)


def application_withdraw(*, application, user, reason, request=None):
    """A city may withdraw until the Ministry's formal review starts (SPEC §4)."""
    return perform(workflow.WORKFLOW, application, "withdraw", user=user, note=reason, request=request)


def application_return(*, application, user, reasons, request=None):
    """Art. 10: the province returns the application with reasons; the city revises and resubmits."""
    return perform(workflow.WORKFLOW, application, "return", user=user, note=reasons, request=request)


def application_recommend(*, application, user, comments="", rank=None, request=None):
    """Art. 10: the province recommends the application to the Ministry, with its recommendation
    document and comments, and its rank when the programme asks provinces to rank."""
    return perform(workflow.WORKFLOW, application, "recommend", user=user, note=comments,
                   data={"rank": rank}, request=request)
