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


def stored_document(app, user, *, source="uploaded"):
    """A recommendation document with a small real PDF in storage (no rendering)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from icdc.applications.models import RecommendationDocument

    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
              b"trailer<</Root 1 0 R>>\n%%EOF\n"
    name = default_storage.save(f"recommendations/test-{app.pk}.pdf", ContentFile(content))
    return RecommendationDocument.objects.create(
        application=app, revision_number=app.revision_number, source=source, display_name="推荐函.pdf",
        storage_name=name, sha256=hashlib.sha256(content).hexdigest(), size=len(content), created_by=user)


def review_world(users):
    """For the security sweep: a batch, a recommended application of the city applicant's city (so
    it routes through the provincial official's province and has reached the Ministry) and its
    stored recommendation document."""
    from icdc.accounts.models import Role

    city_user, province_user = users[Role.CITY_APPLICANT], users[Role.PROVINCIAL_OFFICIAL]
    app = recommended(batch_obj=batch(), city_obj=city_user.division)
    assert app.province_id == province_user.division_id, "the sweep's province official must own the application"
    return app, stored_document(app, province_user)
