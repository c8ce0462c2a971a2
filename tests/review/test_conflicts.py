"""An expert declares the cities and employers they must not review (回避); audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.review import services
from tests.review import factories

pytestmark = pytest.mark.django_db


def test_the_expert_declares_cities_and_employers(client, pool_expert, cities):
    client.force_login(pool_expert.account)
    response = client.post(reverse("experts:my_conflicts"), {
        "cities": [cities["nanjing"].pk, cities["beijing"].pk], "employers": "南京大学\n\n 北京某研究院 \n南京大学"})
    assert response.status_code == 302
    pool_expert.refresh_from_db()
    assert set(pool_expert.conflict_cities.values_list("code", flat=True)) == {"320100", "110000"}
    assert pool_expert.conflict_employers == ["南京大学", "北京某研究院"]
    record = AuditRecord.objects.get(action="review.expert.declare_conflicts")
    assert record.before == {"cities": [], "employers": []}
    assert record.after == {"cities": ["110000", "320100"], "employers": ["南京大学", "北京某研究院"]}


def test_an_expert_cannot_declare_for_another(pool_expert, cities):
    other = factories.expert(name="郑十", city=cities["nanjing"])
    with pytest.raises(PermissionDenied):
        services.expert_conflicts_declare(user=pool_expert.account, expert=other, cities=[], employers=["x"])
    other.refresh_from_db()
    assert other.conflict_employers == []


def test_the_officer_may_record_them_for_an_expert(officer, pool_expert, cities):
    services.expert_conflicts_declare(user=officer, expert=pool_expert, cities=[cities["jinan"]], employers=[])
    assert list(pool_expert.conflict_cities.values_list("code", flat=True)) == ["370100"]


def test_declared_conflicts_show_on_the_officers_detail_page(officer_client, pool_expert, cities):
    services.expert_conflicts_declare(user=pool_expert.account, expert=pool_expert, cities=[cities["nanjing"]],
                                      employers=["南京大学"])
    page = officer_client.get(reverse("experts:detail", args=[pool_expert.pk])).content.decode()
    assert "南京市" in page and "南京大学" in page
