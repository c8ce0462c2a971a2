"""Material and defence weights must sum to 1 (SPEC §4: the final score is their weighted sum)."""

import pytest

from icdc.batches import services
from icdc.batches.models import Batch
from icdc.lib.refusals import Refusal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("material,defence", [("0.6", "0.5"), ("0.3", "0.3"), ("1.2", "-0.2"), ("x", "0.4")])
def test_weights_that_do_not_sum_to_one_are_refused(definition, settings_of_batch, officer, material, defence):
    with pytest.raises(Refusal) as refused:
        services.batch_create(programme=definition, user=officer,
                              **{**settings_of_batch, "material_weight": material, "defence_weight": defence})
    assert refused.value.code in ("weights_sum", "bad_weight")
    assert "权重" in str(refused.value)
    assert not Batch.objects.exists()


def test_weights_summing_to_one_are_kept(definition, settings_of_batch, officer):
    batch = services.batch_create(programme=definition, user=officer,
                                  **{**settings_of_batch, "material_weight": "0.55", "defence_weight": "0.45"})
    assert str(batch.material_weight) == "0.55" and str(batch.defence_weight) == "0.45"


@pytest.mark.parametrize("field,value,code", [("pass_mark", "abc", "bad_pass_mark"), ("pass_mark", 120, "bad_pass_mark"),
                                              ("notice_working_days", 0, "bad_notice_days")])
def test_other_bad_settings_are_refused_in_chinese(definition, settings_of_batch, officer, field, value, code):
    with pytest.raises(Refusal) as refused:
        services.batch_create(programme=definition, user=officer, **{**settings_of_batch, field: value})
    assert refused.value.code == code
    assert not Batch.objects.exists()
