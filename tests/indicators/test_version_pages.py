"""The version list and tree pages; who may reach the indicator pages at all."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.indicators import services

from .conftest import DRAFT_PATH
from .helpers import big_document


def test_list_shows_versions_with_status(officer_client, draft_version):
    body = officer_client.get(reverse("indicators:version_list")).content.decode()
    assert "draft-2019" in body and "草稿" in body and "上传 YAML 新建版本" in body


def test_tree_shows_weights_and_totals_per_system(officer_client, draft_version):
    response = officer_client.get(reverse("indicators:version_detail", args=[draft_version.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "综合型信息消费示范城市评价指标体系" in body and "信息消费需求培育" in body
    # one total per system: the draft's SPEC has a common part only, scored once per domain
    assert body.count('<span class="badge text-bg-success" data-testid="total">') == 2
    assert body.count("合计 100 分") == 2 + 1  # the badges, and the draft's explanation
    assert "生活类信息消费" in body and "共性部分" in body
    assert "以此为基础新建版本" in body and "调整权重" in body and "下载 YAML" in body


def test_tree_of_a_locked_version_offers_no_edits(officer_client, draft_version):
    services.lock_version(version=draft_version, reason="2024 年度批次")
    body = officer_client.get(reverse("indicators:version_detail", args=[draft_version.pk])).content.decode()
    assert "已锁定" in body and "2024 年度批次" in body
    assert "调整权重" not in body and reverse("indicators:indicator_edit", args=[1])[:-7] not in body
    assert "以此为基础新建版本" in body


def test_tree_page_queries_do_not_grow_with_the_version(officer_client, draft_version, django_assert_max_num_queries):
    url = reverse("indicators:version_detail", args=[draft_version.pk])
    officer_client.get(url)  # warm the session
    with django_assert_max_num_queries(10):  # session, user, version, domains, systems, dimensions, indicators
        assert officer_client.get(url).status_code == 200
    big, _ = services.import_version_document(document=big_document("big"))
    with django_assert_max_num_queries(10):
        body = officer_client.get(reverse("indicators:version_detail", args=[big.pk])).content.decode()
    assert "B9.9" in body and "合计 100 分" in body


def test_yaml_download_is_the_version_and_is_audited(officer_client, draft_version):
    import yaml

    response = officer_client.get(reverse("indicators:version_yaml", args=[draft_version.pk]))
    assert response["Content-Type"].startswith("application/x-yaml")
    assert yaml.safe_load(response.content.decode()) == yaml.safe_load(DRAFT_PATH.read_text(encoding="utf-8"))
    assert AuditRecord.objects.filter(action="indicators.version.export", object_id=str(draft_version.pk)).exists()


OTHER_ROLES = [r for r in Role if r != Role.MINISTRY_OFFICER]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused_every_indicator_page(client, role_users, draft_version, role):
    client.force_login(role_users[role])
    indicator = draft_version.indicators.first()
    gets = [reverse("indicators:version_list"), reverse("indicators:version_detail", args=[draft_version.pk]),
            reverse("indicators:version_yaml", args=[draft_version.pk]), reverse("indicators:version_upload"),
            reverse("indicators:indicator_edit", args=[indicator.pk]),
            reverse("indicators:weights_edit", args=[draft_version.pk, "COMP"]),
            reverse("indicators:statistics_list"), reverse("indicators:statistics_import"),
            reverse("indicators:statistics_export"), reverse("indicators:statistics_template")]
    posts = [reverse(f"indicators:version_{a}", args=[draft_version.pk]) for a in ("publish", "new", "delete")]
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url, {"label": "x"}).status_code == 403, url
    assert draft_version.__class__.objects.get(pk=draft_version.pk).status == "draft"
    assert AuditRecord.objects.filter(action="accounts.permission.deny", result="denied").count() == len(gets) + len(posts)


def test_anonymous_is_sent_to_login(client, draft_version):
    response = client.get(reverse("indicators:version_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
