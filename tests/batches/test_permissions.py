"""Only the Ministry creates, edits and moves batches; cities and provinces read open batches."""

import pytest

from icdc.accounts.models import Role
from icdc.batches.models import Batch

pytestmark = pytest.mark.django_db

MINISTRY_ONLY = ["/batches/new/", "/batches/new/{programme}/", "/batches/{batch}/edit/", "/batches/{batch}/open/",
                 "/batches/{batch}/close/", "/batches/{batch}/start-review/"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MINISTRY_OFFICER])
def test_other_roles_cannot_create_or_move_a_batch(client, role_users, draft_batch, definition, role):
    client.force_login(role_users[role])
    for url in MINISTRY_ONLY:
        url = url.format(programme=definition.pk, batch=draft_batch.pk)
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"confirm": "yes"}).status_code == 403, url
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"


def test_the_service_refuses_a_city_too(role_users, draft_batch):
    from django.core.exceptions import PermissionDenied

    from icdc.batches import services

    with pytest.raises(PermissionDenied):
        services.batch_open(batch=draft_batch, user=role_users[Role.CITY_APPLICANT])
    with pytest.raises(PermissionDenied):
        services.batch_update(batch=draft_batch, user=role_users[Role.PROVINCIAL_OFFICIAL], pass_mark=1)
    assert Batch.objects.get(pk=draft_batch.pk).status == "draft"


@pytest.mark.parametrize("role", [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL])
def test_cities_and_provinces_read_open_batches_but_not_drafts(client, role_users, draft_batch, officer, role):
    from icdc.batches import services

    client.force_login(role_users[role])
    assert client.get(f"/batches/{draft_batch.pk}/").status_code == 404
    assert draft_batch.title not in client.get("/batches/").content.decode()
    services.batch_open(batch=draft_batch, user=officer)
    page = client.get(f"/batches/{draft_batch.pk}/").content.decode()
    assert draft_batch.title in page and "修改设置" not in page and "开放申报" not in page
    assert draft_batch.title in client.get("/batches/").content.decode()


@pytest.mark.parametrize("role", [Role.EXPERT, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_other_roles_do_not_see_batches(client, role_users, draft_batch, role):
    client.force_login(role_users[role])
    assert client.get("/batches/").status_code == 403
    assert client.get(f"/batches/{draft_batch.pk}/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, draft_batch):
    response = client.get(f"/batches/{draft_batch.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
