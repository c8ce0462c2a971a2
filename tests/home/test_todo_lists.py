"""Home pages are to-do lists (issue 13 item 11): what needs the role's action now, with its deadline
and a link to act; the number of queries does not grow with the number of applications."""

import datetime

import pytest
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.applications.models import ProvincialReview
from tests.applications.factories import application, open_batch
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db

SHANDONG_CITIES = [("370300", "淄博市"), ("370400", "枣庄市"), ("370500", "东营市"), ("370600", "烟台市"),
                   ("370700", "潍坊市"), ("370800", "济宁市"), ("370900", "泰安市"), ("371000", "威海市")]


@pytest.fixture
def batch(db):
    from icdc.programmes.selectors import shipped_programme

    return open_batch(programme_document=shipped_programme("info-consumption-demonstration-city").document,
                      quotas={"COMP": 5})


def test_a_city_sees_its_drafts_missing_items_and_the_deadline(client, batch):
    jinan = division("370100", "济南市")
    draft = application(batch=batch, city=jinan, type_code="")
    client.force_login(make_user(Role.CITY_APPLICANT, division_obj=jinan))
    page = client.get("/home/city/").content.decode()
    assert 'data-testid="todo-draft"' in page and "选择申报类型" in page
    assert f"/applications/{draft.pk}/" in page and "剩余 19 天" in page
    assert batch.city_deadline_display in page


def test_a_city_sees_a_return_with_the_provinces_reasons(client, batch):
    jinan = division("370100", "济南市")
    returned = application(batch=batch, city=jinan, status="returned", revision_number=2)
    official = make_user(Role.PROVINCIAL_OFFICIAL, division_obj=jinan.parent)
    ProvincialReview.objects.create(application=returned, revision_number=1, outcome="returned",
                                    comments="请补充人均可支配收入的数据来源", decided_by=official,
                                    decided_at=timezone.now())
    client.force_login(make_user(Role.CITY_APPLICANT, division_obj=jinan))
    page = client.get("/home/city/").content.decode()
    assert 'data-testid="todo-return"' in page and "请补充人均可支配收入的数据来源" in page
    assert batch.province_deadline_display in page and f"/applications/{returned.pk}/" in page


def test_a_city_without_an_application_is_invited_to_start(client, batch):
    client.force_login(make_user(Role.CITY_APPLICANT, division_obj=division("370100", "济南市")))
    page = client.get("/home/city/").content.decode()
    assert 'data-testid="todo-start"' in page and f"/applications/start/{batch.pk}/" in page


def test_a_province_sees_what_waits_for_its_review_and_the_days_left(client, batch):
    jinan = division("370100", "济南市")
    waiting = application(batch=batch, city=jinan, status="submitted", submitted_at=timezone.now())
    application(batch=batch, city=division("370300", "淄博市"), status="draft")  # a draft is not the province's
    client.force_login(make_user(Role.PROVINCIAL_OFFICIAL, division_obj=jinan.parent))
    page = client.get("/home/province/").content.decode()
    assert "1 份申报待初审" in page and f"/preliminary/province/{waiting.pk}/" in page
    assert "还有 30 天" in page and "淄博市" not in page.split('data-testid="province-todo"')[1]


def test_the_ministry_sees_arrivals_by_route_and_batches_needing_action(client, batch, officer):
    now = timezone.now()
    application(batch=batch, city=division("370100", "济南市"), status="recommended", arrived_at=now)
    application(batch=batch, city=division("370300", "淄博市"), status="recommended", arrived_at=now)
    application(batch=batch, city=division("370200", "青岛市"), route="direct", status="submitted_direct",
                arrived_at=now)
    due = open_batch(city_deadline_in=datetime.timedelta(hours=-1))  # its city deadline has passed
    client.force_login(officer)
    page = client.get("/home/ministry/").content.decode()
    arrivals = page.split('data-testid="ministry-arrivals"')[1]
    assert 'data-testid="arrivals-recommended">2<' in arrivals and 'data-testid="arrivals-direct">1<' in arrivals
    actions = page.split('data-testid="ministry-actions"')[1].split('data-testid="ministry-arrivals"')[0]
    assert due.title in actions and "截止申报" in actions and batch.title not in actions


def _province_page(client, batch, count):
    shandong = division("370000", "山东省", level="province")
    for code, name in SHANDONG_CITIES[:count]:
        application(batch=batch, city=division(code, name), status="submitted", submitted_at=timezone.now())
    return shandong


@pytest.mark.parametrize("count", [1, 8])
def test_the_province_page_costs_the_same_whatever_the_number(client, batch, django_assert_max_num_queries, count):
    shandong = _province_page(client, batch, count)
    client.force_login(make_user(Role.PROVINCIAL_OFFICIAL, division_obj=shandong))
    with django_assert_max_num_queries(8):
        page = client.get("/home/province/").content.decode()
    assert f"{count} 份申报待初审" in page


@pytest.mark.parametrize("count", [1, 8])
def test_the_ministry_page_costs_the_same_whatever_the_number(client, batch, officer, count,
                                                               django_assert_max_num_queries):
    for code, name in SHANDONG_CITIES[:count]:
        application(batch=batch, city=division(code, name), status="recommended", arrived_at=timezone.now())
    client.force_login(officer)
    with django_assert_max_num_queries(9):
        page = client.get("/home/ministry/").content.decode()
    assert f'data-testid="arrivals-recommended">{count}<' in page


def test_the_home_page_lists_unread_notices_and_counts_them_once(client, batch):
    from icdc.notifications.models import Notification

    user = make_user(Role.CITY_APPLICANT, division_obj=division("370100", "济南市"))
    for title in ("批次已开放申报", "城市申报将于 3 天内截止"):
        Notification.objects.create(recipient=user, kind="batches.batch.open", title=title, link="/batches/")
    client.force_login(user)
    page = client.get("/home/city/").content.decode()
    notices = page.split('data-testid="home-notices"')[1]
    assert "批次已开放申报" in notices and "城市申报将于 3 天内截止" in notices
    assert 'data-testid="unread-count">2<' in page
