"""The unread count in the top bar: on every page for a logged-in account, one indexed query;
no query at all on a page for an anonymous visitor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_notification

pytestmark = pytest.mark.django_db


def _notification_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if "notifications_notification" in q["sql"]]


def test_the_top_bar_counts_unread_notifications_on_every_page(client, people):
    user = people["jinan1"]
    make_notification(user, "一")
    make_notification(user, "二")
    make_notification(user, "已读", read=True)
    make_notification(people["jinan2"], "别人的")
    client.force_login(user)
    for url in (reverse("home:city"), reverse("accounts:me"), reverse("notifications:list")):
        response, queries = _notification_queries(client, url)
        html = response.content.decode()
        assert '<span class="badge rounded-pill text-bg-warning" data-testid="unread-count">2</span>' in html, url
        counts = [q for q in queries if '"read_at" IS NULL' in q]
        assert len(counts) == 1, (url, queries)  # the list page shares the top bar's count
        if url != reverse("notifications:list"):
            assert queries == counts


def test_no_badge_when_all_is_read_and_the_count_stops_at_99_plus(client, people):
    user = people["officer1"]
    client.force_login(user)
    html = client.get(reverse("home:ministry")).content.decode()
    assert 'data-testid="notifications-link"' in html and 'data-testid="unread-count"' not in html
    for n in range(101):
        make_notification(user, f"消息{n}")
    html = client.get(reverse("home:ministry")).content.decode()
    assert 'data-testid="unread-count">99+</span>' in html


def test_the_count_follows_reading(client, people):
    user = people["jinan1"]
    note = make_notification(user, link="/home/city/")
    client.force_login(user)
    assert 'data-testid="unread-count">1<' in client.get(reverse("home:city")).content.decode()
    client.post(reverse("notifications:open", args=[note.pk]))
    assert 'data-testid="unread-count"' not in client.get(reverse("home:city")).content.decode()


def test_an_anonymous_page_makes_no_notification_query(client, people):
    make_notification(people["jinan1"])
    for url in (reverse("home:index"), reverse("accounts:login")):
        response, queries = _notification_queries(client, url)
        assert response.status_code == 200 and queries == []
        assert 'data-testid="notifications-link"' not in response.content.decode()
