"""Art. 10: when the programme asks for it, the province ranks its recommendations (audited);
the ranking must name each of them once."""

import pytest
from django.urls import reverse

from icdc.applications.models import Application
from icdc.audit.models import AuditRecord
from tests.applications.factories_review import batch, city, official, province, recommended

pytestmark = pytest.mark.django_db


def _three(b):
    return [recommended(batch_obj=b, city_obj=city(code, name), type_code="SUPPLY")
            for code, name in (("370100", "济南市"), ("370300", "淄博市"), ("370400", "枣庄市"))]


def test_the_province_orders_its_recommendations(client):
    b = batch(programme="demo-project-call")
    jinan, zibo, zaozhuang = _three(b)
    client.force_login(official())
    url = reverse("preliminary:ranking", args=[b.pk])
    page = client.get(url)
    assert [row.application for row in page.context["rows"]] == [jinan, zibo, zaozhuang]
    client.post(url, {f"rank_{zaozhuang.pk}": "1", f"rank_{jinan.pk}": "2", f"rank_{zibo.pk}": "3"})
    ranks = dict(Application.objects.values_list("city__name", "recommendation_rank"))
    assert ranks == {"枣庄市": 1, "济南市": 2, "淄博市": 3}
    record = AuditRecord.objects.get(action="applications.recommendation.rank")
    assert record.after["ranks"] == {str(zaozhuang.pk): 1, str(jinan.pk): 2, str(zibo.pk): 3}
    assert [row.application for row in client.get(url).context["rows"]] == [zaozhuang, jinan, zibo]


@pytest.mark.parametrize("ranks, message", [
    ({0: "1", 1: "1", 2: "2"}, "不能重复"),
    ({0: "1", 1: "2"}, "全部已推荐"),
    ({0: "1", 1: "2", 2: "x"}, "正整数"),
])
def test_a_bad_ranking_is_refused_and_nothing_changes(client, ranks, message):
    b = batch(programme="demo-project-call")
    apps = _three(b)
    client.force_login(official())
    answer = client.post(reverse("preliminary:ranking", args=[b.pk]),
                         {f"rank_{apps[i].pk}": value for i, value in ranks.items()}, follow=True)
    assert message in answer.content.decode()
    assert set(Application.objects.values_list("recommendation_rank", flat=True)) == {None}
    assert not AuditRecord.objects.filter(action="applications.recommendation.rank").exists()


def test_another_provinces_recommendations_cannot_be_ranked_from_here(client):
    b = batch(programme="demo-project-call")
    apps = _three(b)
    client.force_login(official(province("320000", "江苏省")))
    page = client.get(reverse("preliminary:ranking", args=[b.pk]))
    assert list(page.context["rows"]) == []
    answer = client.post(reverse("preliminary:ranking", args=[b.pk]), {f"rank_{a.pk}": str(n) for n, a in enumerate(apps, 1)},
                         follow=True)
    assert "全部已推荐" in answer.content.decode()
    assert set(Application.objects.values_list("recommendation_rank", flat=True)) == {None}


def test_no_ranking_when_the_programme_does_not_ask_for_one(client):
    b = batch()  # 信息消费示范城市: no ranking
    apps = [recommended(batch_obj=b)]
    client.force_login(official())
    answer = client.post(reverse("preliminary:ranking", args=[b.pk]), {f"rank_{apps[0].pk}": "1"}, follow=True)
    assert "不要求对推荐排序" in answer.content.decode()
    assert Application.objects.get().recommendation_rank is None
