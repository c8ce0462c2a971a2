"""The city's side of an application, as real rows through the real services: a batch running the
shipped programme, a started draft, every section filled and every file uploaded."""

from django.core.files.uploadedfile import SimpleUploadedFile

from icdc.accounts.models import Role
from icdc.applications import attachments, services
from icdc.applications import form as form_definition
from icdc.programmes.selectors import DEFAULT_CODE, shipped_programme
from tests.applications.factories import open_batch
from tests.factories import division, make_user
from tests.lib.attachment_files import pdf_bytes

MOBILE = "13812345678"


def programme_document(code=DEFAULT_CODE):
    return shipped_programme(code).document


def batch(*, indicator_version=None, **fields):
    return open_batch(programme_document=fields.pop("programme_document", None) or programme_document(),
                      indicator_version=indicator_version, **fields)


def jinan():
    return division("370100", "济南市")


def qingdao():
    """A 计划单列市: applies straight to the Ministry (art. 10)."""
    return division("370200", "青岛市", is_separately_planned=True, applies_directly=True, is_sub_provincial=True)


def city_user(city=None, username=None):
    city = city or jinan()
    return make_user(Role.CITY_APPLICANT, username=username, division_obj=city, display_name=f"{city.name}经办人")


def started(user, the_batch):
    return services.application_start(batch=the_batch, city=user.division, user=user)


def pdf_file(name="材料.pdf"):
    """A small PDF whose bytes (and SHA-256) differ by name."""
    return SimpleUploadedFile(name, pdf_bytes() + f"% {name}\n".encode(), content_type="application/pdf")


def section_values(section):
    """Well-formed data for every field of ``section`` (as ``SectionForm.section_data`` stores it)."""
    data = {}
    for f in section.fields:
        value = {"number": "123.5", "year": 2024, "email": "contact@jinan.gov.cn", "mobile": MOBILE,
                 "choice": f.choices[0][0] if f.choices else "", "textarea": f"{section.title}的说明",
                 "text": f"{f.label}"}.get(f.kind, "x")
        if f.kind == "choices":
            value = [f.choices[0][0]]
        if f.kind == "mobile":
            from icdc.lib import sm4

            value = sm4.encrypt(MOBILE, context=form_definition.MOBILE_CONTEXT)
        form_definition.put(data, f.path, value)
    return data


def save(application, user, key, data):
    row = application.sections.filter(key=key).first()
    return services.section_save(application=application, key=key, data=data,
                                 expected_version=row.version if row else 0, user=user)


def choose_type(application, user, type_code="COMP", domains=()):
    save(application, user, form_definition.TYPE, {"type": type_code, "domains": list(domains)})
    application.refresh_from_db()
    return application


def fill(application, user, *, type_code="COMP", domains=()):
    """Every section and file the checklist asks for."""
    choose_type(application, user, type_code, domains)
    definition = form_definition.definition(application)
    for section in definition.sections:
        if section.key != form_definition.TYPE:
            save(application, user, section.key, section_values(section))
        if section.evidence:
            attachments.attachment_upload(application=application, purpose=section.key,
                                          uploaded_file=pdf_file(f"{section.key}佐证.pdf"), user=user)
    for material in definition.materials:
        attachments.attachment_upload(application=application, purpose=material.purpose,
                                      uploaded_file=pdf_file(f"{material.label}.pdf"), user=user)
    application.refresh_from_db()
    return application
