"""Publishing, copying and deleting versions from the version page."""

from django.urls import reverse

from icdc.indicators import services
from icdc.indicators.models import IndicatorSetVersion
from tests.indicators.helpers import audit_actions


def test_publish_freezes_the_draft(officer_client, draft_version):
    response = officer_client.post(reverse("indicators:version_publish", args=[draft_version.pk]),
                                   {"confirm": "yes"}, follow=True)
    assert "已发布，可供批次选用" in response.content.decode()
    draft_version.refresh_from_db()
    assert draft_version.status == "published" and draft_version.published_at is not None
    assert audit_actions() == ["indicators.version.create", "indicators.version.publish"]


def test_new_version_from_this_button(officer_client, officer, draft_version):
    services.lock_version(version=draft_version, reason="2024 年度批次")
    response = officer_client.post(reverse("indicators:version_new", args=[draft_version.pk]), {"label": "2025"})
    copy = IndicatorSetVersion.objects.get(label="2025")
    assert response.url == reverse("indicators:version_detail", args=[copy.pk])
    assert (copy.status, copy.derived_from_id, copy.created_by) == ("draft", draft_version.pk, officer)
    assert copy.indicators.count() == draft_version.indicators.count() == 33


def test_new_version_with_a_taken_label_is_refused(officer_client, draft_version):
    response = officer_client.post(reverse("indicators:version_new", args=[draft_version.pk]),
                                   {"label": "draft-2019"}, follow=True)
    assert "已存在" in response.content.decode()
    assert IndicatorSetVersion.objects.count() == 1


def test_delete_a_draft_but_not_a_locked_version(officer_client, draft_version):
    kept = services.new_version_from(version=draft_version, user=None, label="kept")
    services.lock_version(version=kept, reason="2024 年度批次")
    response = officer_client.post(reverse("indicators:version_delete", args=[kept.pk]), {"confirm": "yes"},
                                   follow=True)
    assert "锁定" in response.content.decode()
    officer_client.post(reverse("indicators:version_delete", args=[draft_version.pk]), {"confirm": "yes"})
    assert list(IndicatorSetVersion.objects.values_list("label", flat=True)) == ["kept"]
    assert "indicators.version.delete" in audit_actions()


def test_other_methods_are_not_allowed_on_actions(officer_client, draft_version):
    assert officer_client.put(reverse("indicators:version_publish", args=[draft_version.pk])).status_code == 405
