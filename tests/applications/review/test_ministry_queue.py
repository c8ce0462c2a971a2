"""SPEC §2 art. 10–11: the Ministry's queue lists every application that has arrived (recommended
or direct), filters, sorts, pages and exports them; drafts and applications still with their
province never appear."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from icdc.audit.models import AuditRecord
from tests.applications.factories import application
from tests.applications.factories_review import arrived_direct, batch, city, direct_city, recommended, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(db):
    b = batch()
    return {
        "jinan": recommended(batch_obj=b, city_obj=city("370100", "济南市"), type_code="COMP"),
        "nanjing": recommended(batch_obj=b, city_obj=city("320100", "南京市"), type_code="SPEC",
                               domains=["LIFE", "PUBLIC"]),
        "qingdao": arrived_direct(batch_obj=b, city_obj=direct_city("370200", "青岛市")),
        "zibo": submitted(batch_obj=b, city_obj=city("370300", "淄博市")),  # still with the province
        "draft": application(batch=b, city=city("370400", "枣庄市")),
    }


def _numbers(page):
    return {row.application.city.name for row in page.context["rows"]}


def test_the_queue_shows_every_arrival_and_nothing_else(officer_client, queue):
    page = officer_client.get(reverse("preliminary:ministry_queue"))
    assert _numbers(page) == {"济南市", "南京市", "青岛市"}
    assert "淄博市" not in page.content.decode() and "枣庄市" not in page.content.decode()


@pytest.mark.parametrize("filters, expected", [
    ({"type_code": "SPEC"}, {"南京市"}),
    ({"domain": "LIFE"}, {"南京市"}),
    ({"domain": "INDUSTRY"}, set()),
    ({"province": "370000"}, {"济南市", "青岛市"}),
    ({"route": "direct"}, {"青岛市"}),
    ({"status": "recommended"}, {"济南市", "南京市"}),
    ({"status": "not-a-state", "type_code": "<script>"}, {"济南市", "南京市", "青岛市"}),  # unknown: ignored
])
def test_filters(officer_client, queue, filters, expected):
    assert _numbers(officer_client.get(reverse("preliminary:ministry_queue"), filters)) == expected


def test_sorting_by_city_and_by_arrival(officer_client, queue):
    page = officer_client.get(reverse("preliminary:ministry_queue"), {"sort": "city"})
    assert [row.application.city.code for row in page.context["rows"]] == ["320100", "370100", "370200"]
    page = officer_client.get(reverse("preliminary:ministry_queue"), {"sort": "-city"})
    assert [row.application.city.code for row in page.context["rows"]] == ["370200", "370100", "320100"]
    page = officer_client.get(reverse("preliminary:ministry_queue"), {"sort": "drop table"})
    assert len(page.context["rows"]) == 3


def test_paging(officer_client, queue, settings):
    from icdc.applications import selectors_queue

    b = queue["jinan"].batch
    for n in range(selectors_queue.PAGE_SIZE):
        recommended(batch_obj=b, city_obj=city(f"3205{n:02d}", f"江苏城市{n}"))
    first = officer_client.get(reverse("preliminary:ministry_queue"), {"sort": "city"})
    second = officer_client.get(reverse("preliminary:ministry_queue"), {"sort": "city", "page": 2})
    assert first.context["page"].paginator.count == selectors_queue.PAGE_SIZE + 3
    assert len(first.context["rows"]) == selectors_queue.PAGE_SIZE and len(second.context["rows"]) == 3
    assert "sort=city&amp;page=2" in first.content.decode()


def test_the_export_is_the_filtered_queue_as_excel_with_a_chinese_name(officer_client, queue):
    from icdc.applications.models import Application

    Application.objects.filter(pk=queue["jinan"].pk).update(number="=HYPERLINK(\"http://x\")")
    answer = officer_client.get(reverse("preliminary:ministry_export"), {"province": "370000"})
    assert "filename*=UTF-8''%E5%B7%A5%E4%BF%A1%E9%83%A8" in answer["Content-Disposition"]  # 工信部…
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows())
    cities = {row[1].value for row in rows if len(row) > 1 and row[1].value in ("济南市", "青岛市", "南京市")}
    assert cities == {"济南市", "青岛市"}
    [number] = [row[0] for row in rows if len(row) > 1 and row[1].value == "济南市"]
    assert number.value.startswith("=HYPERLINK") and number.data_type == "s"  # kept as text, never a formula
    assert AuditRecord.objects.get(action="applications.queue.export").detail == "rows=2"


def test_the_full_view_shows_the_revision_and_the_provinces_decision(officer_client, queue):
    page = officer_client.get(reverse("preliminary:ministry_detail", args=[queue["jinan"].pk]))
    text = page.content.decode()
    assert "济南市信息消费工作基础" in text and page.context["revision"].number == 1


def test_the_ministry_cannot_open_an_application_still_with_its_province(officer_client, queue):
    assert officer_client.get(reverse("preliminary:ministry_detail", args=[queue["zibo"].pk])).status_code == 404
    assert officer_client.get(reverse("preliminary:ministry_detail", args=[queue["draft"].pk])).status_code == 404


def test_the_full_view_links_to_the_frozen_form_and_the_differences_between_revisions(officer_client, queue):
    from django.utils import timezone

    from icdc.applications.effects import content_digest
    from icdc.applications.models import Application, ApplicationRevision

    app = queue["jinan"]
    content = {"type": "COMP", "domains": [], "attachments": [], "sections": {"basics": {"summary": "第二版"}}}
    ApplicationRevision.objects.create(application=app, number=2, content=content, sha256=content_digest(content),
                                       frozen_at=timezone.now())
    Application.objects.filter(pk=app.pk).update(revision_number=2)
    page = officer_client.get(reverse("preliminary:ministry_detail", args=[app.pk]))
    compare = reverse("applications:revision_compare", args=[app.pk, 1, 2])
    assert compare in page.content.decode()
    assert officer_client.get(compare).status_code == 200
    assert officer_client.get(reverse("applications:revision", args=[app.pk, 2])).status_code == 200
