"""AHP weight derivations: the judgement, weights and CR kept beside a draft; weights unchanged."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from icdc.audit.models import AuditRecord
from icdc.indicators import services
from icdc.indicators.models import Indicator, WeightDerivation


def test_a_consistent_matrix_is_kept_with_points_summing_to_the_dimension(draft_version, officer):
    # D1's four indicators: D1.1 twice as important as each of the others, which are equal
    matrix = [[1, 2, 2, 2], [0.5, 1, 1, 1], [0.5, 1, 1, 1], [0.5, 1, 1, 1]]
    derivation = services.record_weight_derivation(version=draft_version, system_code="COMP", scope="D1",
                                                   matrix=matrix, user=officer)
    assert derivation.labels == ["D1.1", "D1.2", "D1.3", "D1.4"]
    assert derivation.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert derivation.points == {"D1.1": "8", "D1.2": "4", "D1.3": "4", "D1.4": "4"}  # D1 holds 20 points
    assert Indicator.objects.get(version=draft_version, code="D1.1").weight == 6  # a record, not a change
    services.update_weights(version=draft_version, system_code="COMP", user=officer,
                            weights={k: Decimal(v) for k, v in derivation.points.items()})
    assert Indicator.objects.get(version=draft_version, code="D1.1").weight == 8
    assert AuditRecord.objects.filter(action="indicators.weights.derive").count() == 1


def test_points_are_apportioned_to_exactly_the_total(draft_version, officer):
    matrix = [[1, 1, 1], [1, 1, 1], [1, 1, 1]]  # S3: three equal indicators sharing 30 points
    derivation = services.record_weight_derivation(version=draft_version, system_code="SPEC", scope="S3",
                                                   matrix=matrix, user=officer)
    assert sum(Decimal(p) for p in derivation.points.values()) == 30
    derivation = services.record_weight_derivation(version=draft_version, system_code="SPEC", scope="",
                                                   matrix=matrix, user=officer)
    assert derivation.labels == ["S1", "S2", "S3"]
    assert sorted(derivation.points.values()) == ["33.33", "33.33", "33.34"]


def test_an_inconsistent_matrix_is_refused_and_nothing_kept(draft_version, officer):
    matrix = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(ValidationError) as caught:
        services.record_weight_derivation(version=draft_version, system_code="SPEC", scope="S3", matrix=matrix,
                                          user=officer)
    assert "未满足 CR < 0.10 的要求" in caught.value.messages[0]  # the engine's message, passed through
    assert WeightDerivation.objects.count() == 0


def test_not_on_a_locked_version(draft_version, officer):
    services.lock_version(version=draft_version, reason="2024 年度批次")
    with pytest.raises(services.VersionNotEditable):
        services.record_weight_derivation(version=draft_version, system_code="SPEC", scope="S3",
                                          matrix=[[1, 1, 1]] * 3, user=officer)
