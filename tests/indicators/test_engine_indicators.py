"""The adapter that hands a version to the scoring engine as plain dicts."""

import pytest

from icdc.indicators.adapters import engine_indicators
from icdc.indicators.models import Dimension, Domain, Indicator

KEYS = {"code", "dimension_code", "dimension_name", "name", "kind", "weight", "rule", "floor", "target", "unit"}


def test_comprehensive_system_in_order(draft_version):
    rows = engine_indicators(draft_version, "COMP")
    assert [r["code"] for r in rows][:5] == ["D1.1", "D1.2", "D1.3", "D1.4", "D2.1"]
    assert len(rows) == 23 and sum(r["weight"] for r in rows) == 100.0
    assert all(set(r) == KEYS for r in rows)
    assert rows[0] == {"code": "D1.1", "dimension_code": "D1", "dimension_name": "信息消费需求培育",
                       "name": "信息消费规模", "kind": "quantitative", "weight": 6.0, "rule": "linear",
                       "floor": 200.0, "target": 2000.0, "unit": "亿元"}
    d14 = next(r for r in rows if r["code"] == "D1.4")
    assert (d14["kind"], d14["rule"], d14["floor"], d14["target"], d14["unit"]) == ("qualitative", None, None, None, None)


def test_specialised_system_is_the_common_part_plus_the_domain_part(draft_version):
    assert len(engine_indicators(draft_version.pk, "SPEC", "LIFE")) == 10  # the draft has only a common part
    life = Domain.objects.get(version=draft_version, code="LIFE")
    system = draft_version.systems.get(code="SPEC")
    part = Dimension.objects.create(system=system, code="S9", name="生活类专项", domain=life, position=9)
    Indicator.objects.create(version=draft_version, dimension=part, code="S9.1", name="专项", kind="qualitative",
                             weight=5)
    assert [r["code"] for r in engine_indicators(draft_version, "SPEC", "LIFE")][-1] == "S9.1"
    assert "S9.1" not in [r["code"] for r in engine_indicators(draft_version, "SPEC", "PUBLIC")]
    with pytest.raises(ValueError, match="domain_code is required"):
        engine_indicators(draft_version, "SPEC")


def test_unknown_system_or_domain(draft_version):
    with pytest.raises(ValueError):
        engine_indicators(draft_version, "NOPE")
    with pytest.raises(ValueError):
        engine_indicators(draft_version, "SPEC", "SPORT")
