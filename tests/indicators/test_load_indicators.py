"""``manage.py load_indicators``: the shipped draft is the default seed; loading is idempotent."""

import pytest
from django.core.management import CommandError, call_command

from icdc.audit.models import AuditRecord
from icdc.indicators.models import Dimension, Domain, Indicator, IndicatorSetVersion, IndicatorSystem

from .conftest import DRAFT_PATH


def _counts():
    return [m.objects.count() for m in (IndicatorSetVersion, IndicatorSystem, Domain, Dimension, Indicator)]


def test_loads_the_draft_as_a_version(db, capsys):
    call_command("load_indicators")
    version = IndicatorSetVersion.objects.get()
    assert version.label == "draft-2019" and version.status == "draft"
    assert _counts() == [1, 2, 4, 9, 33]
    assert [s.code for s in version.systems.order_by("position")] == ["COMP", "SPEC"]
    assert [d.code for d in version.domains.order_by("position")] == ["LIFE", "PUBLIC", "INDUSTRY", "PRODUCT"]
    d54 = Indicator.objects.get(version=version, code="D5.4")
    assert (d54.kind, d54.rule, d54.floor, d54.target, d54.unit) == ("quantitative", "threshold", None, 95, "%")
    assert set(version.extras) == {"basic_conditions"}  # kept verbatim for the apps that own conditions
    assert len(version.source_sha256) == 64
    assert "已载入指标体系版本 draft-2019" in capsys.readouterr().out
    assert AuditRecord.objects.filter(action="indicators.version.create").count() == 1


def test_loading_the_same_version_twice_changes_nothing(db, capsys):
    call_command("load_indicators", str(DRAFT_PATH))
    before = (_counts(), AuditRecord.objects.count(), list(Indicator.objects.values_list("pk", "weight")))
    call_command("load_indicators", str(DRAFT_PATH))
    assert (_counts(), AuditRecord.objects.count(), list(Indicator.objects.values_list("pk", "weight"))) == before
    assert "已存在且内容相同，未作更改" in capsys.readouterr().out


def test_same_label_with_other_content_is_refused(db, tmp_path):
    call_command("load_indicators")
    changed = tmp_path / "changed.yaml"
    changed.write_text(DRAFT_PATH.read_text(encoding="utf-8").replace("weight: 6, rule: linear, floor: 200",
                                                                       "weight: 6, rule: linear, floor: 300"),
                       encoding="utf-8")
    with pytest.raises(CommandError, match="已存在且内容不同"):
        call_command("load_indicators", str(changed))
    assert Indicator.objects.get(code="D1.1").floor == 200
    call_command("load_indicators", str(changed), "--label", "draft-2019b", "--publish")
    assert IndicatorSetVersion.objects.get(label="draft-2019b").status == "published"


def test_an_invalid_file_is_refused_whole(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(DRAFT_PATH.read_text(encoding="utf-8").replace("weight: 6, rule: linear, floor: 200",
                                                                   "weight: 9, rule: linear, floor: 200"),
                   encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_indicators", str(bad))
    assert "共性部分合计 103 分，须为 100 分" in str(caught.value)
    assert _counts() == [0, 0, 0, 0, 0]


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("load_indicators", str(tmp_path / "none.yaml"))
