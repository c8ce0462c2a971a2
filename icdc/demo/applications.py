"""The demo's open batch and applications in every state a newcomer should see (issue 13 item 12):
a draft (济南), one waiting for 初审 (淄博), one returned to answer (烟台), one recommended (潍坊),
one submitted directly by a 计划单列市 (青岛), and two the Ministry's formal review has decided:
one asked for supplementary material (济宁), one passed (泰安).

Everything goes through the real services and the one transition service, so the audit trail is
true: the batch is created and opened by the Ministry demo account, cities fill their forms and
upload files as themselves, the province returns and recommends as itself. Idempotent: once the
demo batch exists, nothing more is done.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.models import User
from icdc.batches.models import SHANGHAI

#: The demo's cities: username → (division code, display name, the state its application ends in).
DEMO_APPLICANTS = {
    "city_jinan": ("370100", "济南市工业和信息化局", "draft"),
    "city_zibo": ("370300", "淄博市工业和信息化局", "submitted"),
    "city_yantai": ("370600", "烟台市工业和信息化局", "returned"),
    "city_weifang": ("370700", "潍坊市工业和信息化局", "recommended"),
    "city_qingdao": ("370200", "青岛市工业和信息化局", "submitted_direct"),
    "city_jining": ("370800", "济宁市工业和信息化局", "supplement"),
    "city_taian": ("370900", "泰安市工业和信息化局", "formal_passed"),
}

DEMO_MOBILE = "13800138000"
RETURN_REASONS = "请补充近三年信息消费规模的数据来源，并完善“保障措施”中的资金安排。"
SUPPLEMENT_REASONS = "申报书未加盖公章，请补充盖章后的申报书扫描件。"


def demo_year():
    """The year of the demo's open batch (Beijing time); the announced batch is the year before."""
    return timezone.now().astimezone(SHANGHAI).year


def _pdf(title):
    """A small valid one-page PDF (the upload guard checks content, not names)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile(f"{title}.pdf", bytes(out), content_type="application/pdf")


def _value(field, city_name):
    from icdc.applications import form as form_definition
    from icdc.lib import sm4

    if field.kind == "mobile":
        return sm4.encrypt(DEMO_MOBILE, context=form_definition.MOBILE_CONTEXT)
    if field.kind == "choices":
        return [field.choices[0][0]] if field.choices else []
    return {"number": "1024.5", "year": timezone.now().year - 1, "email": "contact@example.gov.cn",
            "choice": field.choices[0][0] if field.choices else "",
            "textarea": _("%(city)s：%(label)s（演示内容）") % {"city": city_name, "label": field.label},
            }.get(field.kind, f"{city_name}{field.label}")


def _save(application, user, key, data):
    from icdc.applications import services

    row = application.sections.filter(key=key).first()
    services.section_save(application=application, key=key, data=data,
                          expected_version=row.version if row else 0, user=user)


def _fill(application, user, *, complete):
    """The city fills its form section by section and uploads its files (through the services);
    a draft stops half-way, so its checklist shows what is still missing."""
    from icdc.applications import attachments
    from icdc.applications import form as form_definition

    programme = application.batch.programme()
    _save(application, user, form_definition.TYPE, {"type": programme.types[0].code, "domains": []})
    application.refresh_from_db()
    definition = form_definition.definition(application)
    sections = [s for s in definition.sections if s.key != form_definition.TYPE]
    if not complete:
        sections = sections[:3]
    for section in sections:
        data = {}
        for field in section.fields:
            form_definition.put(data, field.path, _value(field, application.city.name))
        _save(application, user, section.key, data)
        if section.evidence:
            attachments.attachment_upload(application=application, purpose=section.key,
                                          uploaded_file=_pdf(_("%(section)s佐证材料") % {"section": section.title}),
                                          user=user)
    if complete:
        for material in definition.materials:
            attachments.attachment_upload(application=application, purpose=material.purpose,
                                          uploaded_file=_pdf(material.label), user=user)
    application.refresh_from_db()
    return application


def _batch(officer, year=None):
    """The demo batch: created from the loaded programme definition, then opened."""
    from icdc.batches import services as batches
    from icdc.indicators.models import IndicatorSetVersion
    from icdc.programmes.models import ProgrammeDefinition
    from icdc.programmes.selectors import DEFAULT_CODE, shipped_programme
    from icdc.programmes.services import programme_definition_load

    definition = ProgrammeDefinition.objects.filter(code=DEFAULT_CODE).order_by("-loaded_at", "-id").first()
    if definition is None:  # `make run` loads it first (load_programmes); a bare load_demo loads the shipped file
        definition, _created = programme_definition_load(programme=shipped_programme(DEFAULT_CODE),
                                                         source="data/programmes", user=officer)
    version = IndicatorSetVersion.objects.exclude(status=IndicatorSetVersion.Status.DRAFT).order_by("-pk").first()
    if version is None:
        return None
    today = timezone.now().astimezone(SHANGHAI)
    at_five = today.replace(hour=17, minute=0, second=0, microsecond=0)
    batch = batches.batch_create(
        programme=definition, year=year or today.year, opens_on=today.date(),
        city_deadline=at_five + datetime.timedelta(days=14), province_deadline=at_five + datetime.timedelta(days=28),
        quotas={track.code: (10 if track.code == track.type_code else 3) for track in definition.programme.tracks},
        indicator_version=version, user=officer)
    return batches.batch_open(batch=batch, user=officer)


def load_batch_and_applications():
    """Create the demo batch and its applications once; returns summary lines."""
    from icdc.applications import recommendation, services
    from icdc.batches.models import Batch
    from icdc.programmes.selectors import DEFAULT_CODE
    from icdc.review import formal

    existing = Batch.objects.filter(programme_code=DEFAULT_CODE, year=demo_year()).first()
    if existing is not None:
        return [_("演示批次：「%(title)s」已存在") % {"title": existing.title}]
    officer = User.objects.get(username="ministry")
    province = User.objects.get(username="province_sd")
    batch = _batch(officer)
    if batch is None:
        return [_("演示批次：未找到已发布的指标体系版本，跳过")]
    lines = [_("演示批次：新建并开放「%(title)s」") % {"title": batch.title}]
    for username, (_code, _name, state) in DEMO_APPLICANTS.items():
        user = User.objects.get(username=username)
        application = services.application_start(batch=batch, city=user.division, user=user)
        application = _fill(application, user, complete=state != "draft")
        if state != "draft":
            application = services.application_submit(application=application, user=user)
        if state == "returned":
            application = services.application_return(application=application, user=province, reasons=RETURN_REASONS)
        if state in ("recommended", "supplement", "formal_passed"):
            recommendation.recommendation_document_upload(application=application, user=province,
                                                          upload=_pdf(_("初审推荐文件（盖章）")))
            application = services.application_recommend(application=application, user=province,
                                                         comments=_("材料齐全，同意推荐。"))
        if state == "supplement":
            application = formal.formal_decide(application=application, user=officer, outcome="supplement",
                                               reasons=SUPPLEMENT_REASONS,
                                               deadline=timezone.now() + datetime.timedelta(days=14))
        if state == "formal_passed":
            application = formal.formal_decide(application=application, user=officer, outcome="pass")
        lines.append(_("演示申报：%(city)s — %(state)s") % {"city": application.city.name,
                                                         "state": application.get_status_display()})
    return lines
