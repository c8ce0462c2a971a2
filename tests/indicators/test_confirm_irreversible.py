"""Publishing and deleting a draft ask first (icdc.lib.confirm): a page naming what will happen
and what it affects, a POST form to do it, a link to cancel. Nothing changes until confirmed."""

import pytest
from django.urls import resolve, reverse

from icdc.indicators.models import IndicatorSetVersion
from tests.indicators.helpers import audit_actions


def test_publish_asks_first_and_names_what_freezes(officer_client, draft_version):
    url = reverse("indicators:version_publish", args=[draft_version.pk])
    body = officer_client.get(url).content.decode()
    assert "请确认" in body and "发布指标体系版本 draft-2019" in body
    assert "2 个指标体系、33 个指标的名称、权重和计分参数从此不能修改" in body
    assert f'action="{url}"' in body and 'name="confirm" value="yes"' in body
    assert reverse("indicators:version_detail", args=[draft_version.pk]) in body  # the cancel link
    draft_version.refresh_from_db()
    assert draft_version.status == "draft" and audit_actions() == ["indicators.version.create"]


def test_a_post_without_the_confirmation_only_asks(officer_client, draft_version):
    for name in ("indicators:version_publish", "indicators:version_delete"):
        response = officer_client.post(reverse(name, args=[draft_version.pk]))
        assert response.status_code == 200 and 'data-testid="confirm-form"' in response.content.decode()
    draft_version.refresh_from_db()
    assert draft_version.status == "draft" and audit_actions() == ["indicators.version.create"]


def test_delete_asks_first_naming_what_goes(officer_client, draft_version):
    body = officer_client.get(reverse("indicators:version_delete", args=[draft_version.pk])).content.decode()
    assert "删除草稿版本 draft-2019" in body and "此操作不可撤销" in body
    assert "33 个指标及其权重" in body and "0 条层次分析法（AHP）推导记录" in body
    assert IndicatorSetVersion.objects.filter(pk=draft_version.pk).exists()
    officer_client.post(reverse("indicators:version_delete", args=[draft_version.pk]), {"confirm": "yes"})
    assert not IndicatorSetVersion.objects.filter(pk=draft_version.pk).exists()


def test_nothing_to_confirm_on_a_published_version(officer_client, officer, draft_version):
    from icdc.indicators import services

    services.publish_version(version=draft_version, user=officer)
    response = officer_client.get(reverse("indicators:version_delete", args=[draft_version.pk]), follow=True)
    assert "不是草稿" in response.content.decode() and 'data-testid="confirm-form"' not in response.content.decode()


def test_the_version_page_links_to_the_confirmation_instead_of_acting(officer_client, draft_version):
    body = officer_client.get(reverse("indicators:version_detail", args=[draft_version.pk])).content.decode()
    assert f'href="{reverse("indicators:version_publish", args=[draft_version.pk])}"' in body
    assert f'href="{reverse("indicators:version_delete", args=[draft_version.pk])}"' in body


#: Every view that destroys or freezes something; each must carry the confirmation mark.
IRREVERSIBLE = {"indicators:version_publish", "indicators:version_delete"}


def test_every_irreversible_view_asks_first():
    for name in IRREVERSIBLE:
        assert _marked(resolve(reverse(name, args=[1])).func), name


def _marked(view):
    while view is not None:
        if getattr(view, "asks_confirmation", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@pytest.mark.parametrize("role_name", ["city", "expert"])
def test_other_roles_cannot_even_see_the_question(client, role_users, draft_version, role_name):
    from icdc.accounts.models import Role

    role = {"city": Role.CITY_APPLICANT, "expert": Role.EXPERT}[role_name]
    client.force_login(role_users[role])
    assert client.get(reverse("indicators:version_publish", args=[draft_version.pk])).status_code == 403
    assert client.post(reverse("indicators:version_delete", args=[draft_version.pk]), {"confirm": "yes"}).status_code == 403
    assert IndicatorSetVersion.objects.filter(pk=draft_version.pk, status="draft").exists()
