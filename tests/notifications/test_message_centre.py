"""消息中心: one's own notifications, newest first, paged, unread emphasised; opening marks read
and follows the link; "mark all read"; another account's notification is a 404."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.notifications.models import Notification
from tests.factories import make_user

from .factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user(people):
    return people["jinan1"]


@pytest.fixture
def city_client(client, city_user):
    client.force_login(city_user)
    return client


def test_the_list_shows_own_notifications_newest_first_unread_emphasised(city_client, city_user, people):
    make_notification(city_user, "较早的已读消息", read=True, minutes_ago=30)
    make_notification(city_user, "最新的未读消息", minutes_ago=1)
    make_notification(people["qingdao"], "青岛市的消息")
    html = city_client.get(reverse("notifications:list")).content.decode()
    assert "青岛市的消息" not in html
    assert html.index("最新的未读消息") < html.index("较早的已读消息")
    unread_item = html[html.index('data-testid="notification" data-unread'):]
    assert unread_item.index("最新的未读消息") < unread_item.index("</li>")
    assert 'fw-bold' in unread_item[:unread_item.index("</li>")]
    assert html.count("data-unread") == 1
    assert "共 2 条消息，1 条未读" in html


def test_the_list_is_paged(city_client, city_user):
    for n in range(25):
        make_notification(city_user, f"第{n:02d}条", minutes_ago=100 - n)
    first = city_client.get(reverse("notifications:list")).content.decode()
    second = city_client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert first.count('data-testid="notification"') == 20 and "第24条" in first and "第04条" not in first
    assert second.count('data-testid="notification"') == 5 and "第04条" in second
    assert 'data-testid="pagination"' in first


def test_opening_marks_read_and_follows_the_link(city_client, city_user):
    note = make_notification(city_user, link="/accounts/me/")
    response = city_client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    note.refresh_from_db()
    first_read = note.read_at
    assert first_read is not None
    city_client.post(reverse("notifications:open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at == first_read  # the first reading time stays


def test_without_a_link_opening_comes_back_to_the_list(city_client, city_user):
    note = make_notification(city_user)
    response = city_client.post(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.get(pk=note.pk).is_read


def test_a_link_that_leaves_the_site_is_not_followed(city_client, city_user):
    note = make_notification(city_user, link="//evil.example/")  # written behind notify()'s back
    response = city_client.post(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_another_accounts_notification_is_not_found_and_stays_unread(city_client, people):
    theirs = make_notification(people["jinan2"], "同城另一账号的消息")  # same city, other account
    response = city_client.post(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 404
    assert city_client.post(reverse("notifications:open", args=[999999])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_needs_a_post(city_client, city_user):
    note = make_notification(city_user)
    assert city_client.get(reverse("notifications:open", args=[note.pk])).status_code == 405
    assert not Notification.objects.get(pk=note.pk).is_read


def test_mark_all_read_marks_only_ones_own(city_client, city_user, people):
    for n in range(3):
        make_notification(city_user, f"消息{n}")
    other = make_notification(people["qingdao"])
    response = city_client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=city_user, read_at=None).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_anonymous_is_sent_to_log_in(client, people):
    note = make_notification(people["jinan1"])
    for response in (client.get(reverse("notifications:list")),
                     client.post(reverse("notifications:open", args=[note.pk])),
                     client.post(reverse("notifications:read_all"))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert Notification.objects.get(pk=note.pk).read_at is None


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_message_centre(client, role):
    user = make_user(role)
    make_notification(user, "给每个角色的消息")
    client.force_login(user)
    assert "给每个角色的消息" in client.get(reverse("notifications:list")).content.decode()


def test_reading_is_not_audited(city_client, city_user):
    note = make_notification(city_user, link="/accounts/me/")
    before = AuditRecord.objects.count()
    city_client.get(reverse("notifications:list"))
    city_client.post(reverse("notifications:open", args=[note.pk]))
    city_client.post(reverse("notifications:read_all"))
    assert AuditRecord.objects.count() == before
