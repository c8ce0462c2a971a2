"""The 回避声明与保密承诺: signed per batch, before any material; the text's version and SHA-256 kept."""

import hashlib

import pytest
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review import declarations, services
from icdc.review.models import Declaration
from icdc.review.selectors import expert_has_signed
from tests.applications.factories import open_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(db):
    return open_batch(status="in_review")


def test_signing_records_the_text_shown_and_the_check_turns_true(client, pool_expert, batch):
    user = pool_expert.account
    assert not expert_has_signed(pool_expert, batch)
    assert not user.has_perm("review.open_batch_material", batch)
    client.force_login(user)
    url = reverse("experts:declaration", args=[batch.pk])
    page = client.get(url).content.decode()
    text, sha = services.declaration_for(expert=pool_expert, batch=batch)
    assert batch.title in text and sha in page and "签署本声明之前" in page
    first = client.post(url, {"sha256": sha})  # the confirmation step: nothing signed yet
    assert first.status_code == 200 and "确认签署" in first.content.decode()
    assert not expert_has_signed(pool_expert, batch)
    done = client.post(url, {"sha256": sha, "confirm": "yes"}, REMOTE_ADDR="10.1.2.3")
    assert done.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.text_version == declarations.VERSION
    assert declaration.text_sha256 == hashlib.sha256(text.encode()).hexdigest() == sha
    assert declaration.ip == "10.1.2.3" and declaration.signed_at is not None
    assert expert_has_signed(pool_expert, batch) and user.has_perm("review.open_batch_material", batch)
    record = AuditRecord.objects.get(action="review.declaration.sign")
    assert record.after["text_sha256"] == sha and record.after["batch"] == batch.pk
    assert "已于" in client.get(url).content.decode()


def test_a_text_other_than_the_one_shown_is_refused(pool_expert, batch):
    with pytest.raises(Refusal, match="声明文本已更新"):
        services.declaration_sign(user=pool_expert.account, batch=batch, shown_sha256="0" * 64)
    assert not expert_has_signed(pool_expert, batch)


def test_signing_twice_keeps_the_first_signature(pool_expert, batch):
    _text, sha = services.declaration_for(expert=pool_expert, batch=batch)
    first = services.declaration_sign(user=pool_expert.account, batch=batch, shown_sha256=sha)
    again = services.declaration_sign(user=pool_expert.account, batch=batch, shown_sha256=sha)
    assert again.pk == first.pk and Declaration.objects.count() == 1
    assert AuditRecord.objects.filter(action="review.declaration.sign").count() == 1


def test_a_signature_is_per_batch(pool_expert, batch):
    other = open_batch(status="in_review")
    _text, sha = services.declaration_for(expert=pool_expert, batch=batch)
    services.declaration_sign(user=pool_expert.account, batch=batch, shown_sha256=sha)
    assert expert_has_signed(pool_expert, batch) and not expert_has_signed(pool_expert, other)


def test_a_draft_batch_has_nothing_to_sign(client, pool_expert):
    draft = open_batch(status="draft")
    client.force_login(pool_expert.account)
    assert client.get(reverse("experts:declaration", args=[draft.pk])).status_code == 404


def test_an_inactive_expert_cannot_sign(client, pool_expert, batch):
    pool_expert.is_active = False
    pool_expert.save()
    client.force_login(pool_expert.account)
    assert client.get(reverse("experts:declaration", args=[batch.pk])).status_code == 403
