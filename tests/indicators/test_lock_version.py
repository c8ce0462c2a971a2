"""A version used by a batch is locked: edits are refused in Chinese; changes make a new version."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from icdc.audit.models import AuditRecord
from icdc.indicators import selectors, services
from icdc.indicators.models import Indicator, IndicatorSetVersion


def _data(indicator, **changes):
    return {**{f: getattr(indicator, f) for f in services.INDICATOR_FIELDS}, **changes}


def test_lock_version_locks_once_and_is_audited(draft_version):
    version = services.lock_version(version=draft_version, reason="2024 年度批次")
    assert (version.status, version.locked_reason) == ("locked", "2024 年度批次")
    assert version.locked_at is not None and version.published_at is not None
    again = services.lock_version(version=version, reason="2025 年度批次")  # a second batch: nothing changes
    assert again.locked_reason == "2024 年度批次"
    records = AuditRecord.objects.filter(action="indicators.version.lock")
    assert [(r.before["status"], r.after["status"], r.detail) for r in records] == [("draft", "locked", "2024 年度批次")]


def test_editing_a_locked_version_is_refused_in_chinese(draft_version, officer):
    services.lock_version(version=draft_version, reason="2024 年度批次")
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    with pytest.raises(services.VersionNotEditable) as caught:
        services.update_indicator(indicator=d11, user=officer, data=_data(d11, name="改名"))
    assert "已被批次使用并锁定，不能修改" in caught.value.messages[0]
    with pytest.raises(ValidationError, match="锁定"):
        services.update_weights(version=draft_version, system_code="COMP", weights={}, user=officer)
    with pytest.raises(ValidationError, match="锁定"):
        services.publish_version(version=draft_version, user=officer)
    with pytest.raises(ValidationError, match="锁定"):
        services.delete_version(version=draft_version, user=officer)
    assert Indicator.objects.get(pk=d11.pk).name == "信息消费规模"
    assert IndicatorSetVersion.objects.get(pk=draft_version.pk).status == "locked"


def test_a_published_version_is_frozen_too(draft_version, officer):
    services.publish_version(version=draft_version, user=officer)
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    with pytest.raises(services.VersionNotEditable, match="已发布，不能修改"):
        services.update_indicator(indicator=d11, user=officer, data=_data(d11, name="改名"))


def test_new_version_from_a_locked_version_deep_copies_it(draft_version, officer):
    services.lock_version(version=draft_version, reason="2024 年度批次")
    copy = services.new_version_from(version=draft_version, user=officer, label="2025-草案")
    assert (copy.status, copy.derived_from, copy.created_by) == ("draft", draft_version, officer)
    assert selectors.version_document(copy) == {**selectors.version_document(draft_version), "version": "2025-草案"}
    assert copy.extras == draft_version.extras
    # The copy is its own rows: editing it leaves the locked original alone.
    d11 = Indicator.objects.get(version=copy, code="D1.1")
    services.update_indicator(indicator=d11, user=officer, data=_data(d11, target=Decimal("2500")))
    assert Indicator.objects.get(version=draft_version, code="D1.1").target == 2000
    assert Indicator.objects.get(version=copy, code="D1.1").target == 2500
    assert copy.systems.get(code="SPEC").dimensions.count() == 3
    assert AuditRecord.objects.filter(action="indicators.version.create", object_id=str(copy.pk)).count() == 1


def test_new_version_needs_a_fresh_valid_label(draft_version, officer):
    with pytest.raises(ValidationError, match="已存在"):
        services.new_version_from(version=draft_version, user=officer, label="draft-2019")
    with pytest.raises(ValidationError, match="版本标识须为"):
        services.new_version_from(version=draft_version, user=officer, label="a b/c")
    assert IndicatorSetVersion.objects.count() == 1


def test_a_weight_change_that_breaks_100_points_is_refused(draft_version, officer):
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    with pytest.raises(ValidationError) as caught:
        services.update_indicator(indicator=d11, user=officer, data=_data(d11, weight=Decimal("7")))
    assert caught.value.messages == ["体系 COMP：共性部分合计 101 分，须为 100 分"]
    assert Indicator.objects.get(pk=d11.pk).weight == 6


def test_rebalancing_weights_keeps_100_points_and_is_audited(draft_version, officer):
    changed = services.update_weights(version=draft_version, system_code="COMP", user=officer,
                                      weights={"D1.1": Decimal("7"), "D1.2": Decimal("4")})
    assert changed == 2
    assert Indicator.objects.get(version=draft_version, code="D1.1").weight == 7
    record = AuditRecord.objects.get(action="indicators.weights.update")
    assert (record.before, record.after) == ({"D1.1": "6.00", "D1.2": "5.00"}, {"D1.1": "7", "D1.2": "4"})


def test_a_duplicate_code_edit_is_refused(draft_version, officer):
    d11 = Indicator.objects.get(version=draft_version, code="D1.1")
    with pytest.raises(ValidationError, match="代码 D1.2 重复"):
        services.update_indicator(indicator=d11, user=officer, data=_data(d11, code="D1.2"))
