"""Authorisation matrix for the preliminary-review and queue pages: every role, a provincial
official of another province and a city applicant of another city, on real and guessed ids.

Expected answers: 200 (or 302 after an action) for those allowed; 403 for a role that has no
business with the page, the same for a guessed id; 404 for the right role on someone else's
application (another province's, or one that has not reached the Ministry) — exactly what a
guessed id answers, so an id cannot be probed. Anonymous users are sent to log in.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.applications.models import Application, ProvincialReview, RecommendationDocument
from tests.applications.factories_review import (
    applicant,
    arrived_direct,
    batch,
    city,
    ministry,
    official,
    province,
    recommended,
    stored_document,
    submitted,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db
GUESS = 987654
PROVINCE, OTHER_PROVINCE, CITY, OTHER_CITY = "province", "other-province", "city", "other-city"
MINISTRY, EXPERT, SYSADMIN, AUDITOR, ANONYMOUS = "ministry", "expert", "sysadmin", "auditor", "anonymous"
WHO = [PROVINCE, OTHER_PROVINCE, CITY, OTHER_CITY, MINISTRY, EXPERT, SYSADMIN, AUDITOR, ANONYMOUS]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    b = batch(programme="demo-project-call")
    jinan, zibo = city("370100", "济南市"), city("370300", "淄博市")
    waiting = submitted(batch_obj=b, city_obj=jinan, type_code="SUPPLY")
    sent = recommended(batch_obj=b, city_obj=zibo, type_code="SUPPLY")
    direct = arrived_direct(batch_obj=b, type_code="SUPPLY")
    owner = official(province())
    users = {
        PROVINCE: owner, OTHER_PROVINCE: official(province("320000", "江苏省")),
        CITY: applicant(zibo), OTHER_CITY: applicant(city("320100", "南京市")), MINISTRY: ministry(),
        EXPERT: make_user(Role.EXPERT), SYSADMIN: make_user(Role.SYSTEM_ADMIN), AUDITOR: make_user(Role.AUDIT_ADMIN),
    }
    return {"users": users, "waiting": waiting, "sent": sent, "direct": direct, "batch": b,
            "document": stored_document(sent, owner)}


def allowed(*who, code=200):
    return {w: code for w in who}


# (url name, object key, method, data, who is allowed, who gets 404 on the real object). Everyone
# else who is logged in gets 403.
MATRIX = [
    ("preliminary:province_list", None, "get", None, allowed(PROVINCE, OTHER_PROVINCE), ()),
    ("preliminary:province_detail", "waiting", "get", None, allowed(PROVINCE), (OTHER_PROVINCE,)),
    ("preliminary:province_detail", "sent", "get", None, allowed(PROVINCE), (OTHER_PROVINCE,)),
    ("preliminary:letter_draft", "waiting", "get", None, allowed(PROVINCE), (OTHER_PROVINCE,)),
    ("preliminary:letter_generate", "waiting", "post", {}, allowed(PROVINCE, code=302), (OTHER_PROVINCE,)),
    ("preliminary:letter_upload", "waiting", "post", {}, allowed(PROVINCE, code=302), (OTHER_PROVINCE,)),
    ("preliminary:recommend", "waiting", "post", {"note": "同意"}, allowed(PROVINCE), (OTHER_PROVINCE,)),
    ("preliminary:return", "waiting", "post", {"note": "补充"}, allowed(PROVINCE), (OTHER_PROVINCE,)),
    ("preliminary:ranking", "batch", "get", None, allowed(PROVINCE, OTHER_PROVINCE), ()),
    ("preliminary:document_download", "document", "get", None, allowed(PROVINCE, CITY, MINISTRY),
     (OTHER_PROVINCE, OTHER_CITY)),
    ("preliminary:ministry_queue", None, "get", None, allowed(MINISTRY), ()),
    ("preliminary:ministry_export", None, "get", None, allowed(MINISTRY), ()),
    ("preliminary:ministry_detail", "sent", "get", None, allowed(MINISTRY), ()),
    ("preliminary:ministry_detail", "direct", "get", None, allowed(MINISTRY), ()),
]


def _url(name, obj, pk=None):
    if obj is None:
        return reverse(name)
    return reverse(name, args=[pk if pk is not None else obj.pk])


@pytest.mark.parametrize("who", WHO)
def test_matrix(client, world, who):
    if who != ANONYMOUS:
        client.force_login(world["users"][who])
    wrong = []
    for name, key, method, data, allow, not_found in MATRIX:
        obj = world[key] if key else None
        real = getattr(client, method)(_url(name, obj), data)
        guessed = getattr(client, method)(_url(name, obj, GUESS), data) if obj is not None else None
        if who == ANONYMOUS:
            ok = (real.status_code == 302 and urlsplit(real["Location"]).path == reverse("accounts:login")
                  and (guessed is None or guessed.status_code == 302))
        elif who in allow:
            ok = real.status_code == allow[who] and (guessed is None or guessed.status_code == 404)
        elif who in not_found:
            ok = real.status_code == 404 and (guessed is None or guessed.status_code == 404)
        else:
            ok = real.status_code == 403 and (guessed is None or guessed.status_code == 403)
        if not ok:
            wrong.append((name, key, real.status_code, guessed and guessed.status_code))
    assert wrong == []
    # Nothing was decided by anyone: the owner's posts only reached the confirmation page.
    assert Application.objects.get(pk=world["waiting"].pk).status == "submitted"
    assert not ProvincialReview.objects.exists()


def test_the_ministry_cannot_open_an_application_still_at_its_province(client, world):
    client.force_login(world["users"][MINISTRY])
    assert client.get(_url("preliminary:ministry_detail", world["waiting"])).status_code == 404
    assert "济南市" not in client.get(reverse("preliminary:ministry_queue")).content.decode()


def test_a_province_cannot_download_another_provinces_letter(client, world):
    other = world["users"][OTHER_PROVINCE]
    client.force_login(other)
    assert client.get(_url("preliminary:document_download", world["document"])).status_code == 404
    assert RecommendationDocument.objects.count() == 1
