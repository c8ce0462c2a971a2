"""List pages run a fixed number of SQL queries whatever the number of applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications.factories_review import batch, city, official, recommended, submitted

pytestmark = pytest.mark.django_db


def _fill(n, make):
    b = batch()
    for i in range(n):
        make(batch_obj=b, city_obj=city(f"37{i // 90 + 1:02d}{i % 90 + 10:02d}", f"城市{i}"))


def _count(client, url):
    client.get(url)  # warm: session, user
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name, make, login", [
    ("preliminary:ministry_queue", recommended, "officer"),
    ("preliminary:province_list", submitted, "province"),
])
def test_the_same_number_of_queries_for_5_and_50_applications(client, officer, url_name, make, login,
                                                               django_assert_max_num_queries):
    user = officer if login == "officer" else official()
    client.force_login(user)
    url = reverse(url_name)
    _fill(5, make)
    few = _count(client, url)
    _fill(45, make)
    many = _count(client, url)
    assert few == many, (few, many)
    with django_assert_max_num_queries(few):
        client.get(url)
