"""Rows for the preliminary-review and queue tests: batches under a real programme definition and
applications placed directly in the state a test starts from (the platform itself moves them only
through ``icdc.lib.workflow.perform``)."""

import functools
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from icdc.accounts.models import Role
from tests.applications.factories import application, open_batch
from tests.factories import division, make_user

PROGRAMMES = Path(settings.BASE_DIR) / "data" / "programmes"


@functools.cache
def programme_document(code="info-consumption-demonstration-city"):
    from icdc.programmes.definition import load_programme

    return load_programme(PROGRAMMES / f"{code}.yaml").document


def batch(*, programme="info-consumption-demonstration-city", **fields):
    return open_batch(programme_document=programme_document(programme), programme_code=programme, **fields)


def province(code="370000", name="山东省"):
    return division(code, name, level="province")


def city(code="370100", name="济南市", province_code=None):
    parent = province(province_code or code[:2] + "0000", _province_names.get(code[:2], "省" + code[:2]))
    return division(code, name, parent=parent)


_province_names = {"37": "山东省", "32": "江苏省", "33": "浙江省", "44": "广东省", "21": "辽宁省"}


def direct_city(code="370200", name="青岛市"):
    """A 计划单列市: applies straight to the Ministry."""
    obj = division(code, name, is_separately_planned=True, applies_directly=True)
    return obj


def official(division_obj=None, **extra):
    return make_user(Role.PROVINCIAL_OFFICIAL, division_obj=division_obj or province(), **extra)


def ministry(**extra):
    return make_user(Role.MINISTRY_OFFICER, **extra)


def applicant(city_obj, **extra):
    return make_user(Role.CITY_APPLICANT, division_obj=city_obj, **extra)


def submitted(*, batch_obj=None, city_obj=None, revision=1, type_code="COMP", domains=(), content=None, **fields):
    """An application the city has submitted to its province (revision ``revision`` frozen)."""
    from icdc.applications.effects import content_digest
    from icdc.applications.models import ApplicationRevision

    now = timezone.now()
    app = application(batch=batch_obj or batch(), city=city_obj or city(), route="province",
                      status=fields.pop("status", "submitted"), type_code=type_code, domain_codes=list(domains),
                      revision_number=revision, submitted_at=now, **fields)
    content = content or {"type": type_code, "domains": list(domains),
                          "sections": {"basics": {"summary": f"{app.city.name}信息消费工作基础"}}, "attachments": []}
    ApplicationRevision.objects.create(application=app, number=revision, content=content,
                                       sha256=content_digest(content), frozen_at=now)
    return app


def recommended(**kwargs):
    kwargs.setdefault("arrived_at", timezone.now())
    return submitted(status="recommended", **kwargs)


def arrived_direct(*, batch_obj=None, city_obj=None, type_code="COMP", **fields):
    from icdc.applications.effects import content_digest
    from icdc.applications.models import ApplicationRevision

    now = timezone.now()
    app = application(batch=batch_obj or batch(), city=city_obj or direct_city(), route="direct",
                      status="submitted_direct", type_code=type_code, submitted_at=now, arrived_at=now, **fields)
    content = {"type": type_code, "domains": [], "sections": {}, "attachments": []}
    ApplicationRevision.objects.create(application=app, number=1, content=content, sha256=content_digest(content),
                                       frozen_at=now)
    return app


def letter(app, user):
    """A generated recommendation document for the application's current revision (stored)."""
    from icdc.applications.recommendation import recommendation_document_generate

    return recommendation_document_generate(application=app, user=user, comments="同意推荐")
