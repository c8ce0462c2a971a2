"""Rebalancing a system's weights at once: saved only when each system still sums to 100."""

from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.indicators.models import Indicator


def _weights(version, system_code, **changes):
    rows = Indicator.objects.filter(dimension__system__version=version, dimension__system__code=system_code)
    data = {i.code: str(i.weight) for i in rows}
    data.update({k.replace("_", "."): v for k, v in changes.items()})
    return data


def test_officer_rebalances_weights(officer_client, officer, draft_version):
    url = reverse("indicators:weights_edit", args=[draft_version.pk, "SPEC"])
    assert "weights.js" in officer_client.get(url).content.decode()
    response = officer_client.post(url, _weights(draft_version, "SPEC", S1_2="12.5", S1_3="12.5"))
    assert response.status_code == 302
    assert Indicator.objects.get(version=draft_version, code="S1.2").weight == 12.5
    record = AuditRecord.objects.get(action="indicators.weights.update")
    assert (record.actor_id, record.detail, set(record.after)) == (officer.pk, "SPEC", {"S1.2", "S1.3"})


def test_weights_not_summing_to_100_are_refused(officer_client, draft_version):
    url = reverse("indicators:weights_edit", args=[draft_version.pk, "SPEC"])
    response = officer_client.post(url, _weights(draft_version, "SPEC", S1_2="20"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["体系 SPEC：共性部分合计 105 分，须为 100 分"]
    assert Indicator.objects.get(version=draft_version, code="S1.2").weight == 15
    assert not AuditRecord.objects.filter(action="indicators.weights.update").exists()


def test_a_zero_weight_is_refused(officer_client, draft_version):
    url = reverse("indicators:weights_edit", args=[draft_version.pk, "SPEC"])
    response = officer_client.post(url, _weights(draft_version, "SPEC", S1_2="0", S1_3="25"))
    assert "权重须大于 0 且不超过 100 分" in response.context["form"].non_field_errors()[0]
