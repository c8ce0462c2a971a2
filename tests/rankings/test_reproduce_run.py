"""Re-running a stored run from its snapshot gives the same bytes; tampering is detected."""

import json

from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.rankings.models import ReproductionCheck, ScoringRun
from icdc.rankings.services import reproduce_run

from . import helpers


def test_a_stored_run_reproduces_to_the_byte(comp_run, officer):
    assert reproduce_run(user=officer, run=comp_run) is True
    check = ReproductionCheck.objects.get(run=comp_run)
    assert check.matched and check.input_matched and check.result_hash == comp_run.result_hash
    assert ScoringRun.objects.get(pk=comp_run.pk).status == ScoringRun.Status.VERIFIED
    record = AuditRecord.objects.get(action="rankings.scoring_run.reproduce")
    assert record.result == "ok" and record.after["matched"] is True


def test_a_tampered_result_is_detected(comp_run, officer):
    document = json.loads(comp_run.result_text)
    document["cities"][2]["composite"] += 0.01  # someone nudges 济南 in the stored result
    ScoringRun.objects.filter(pk=comp_run.pk).update(result_text=json.dumps(document))
    run = ScoringRun.objects.get(pk=comp_run.pk)
    assert reproduce_run(user=officer, run=run) is False
    check = ReproductionCheck.objects.get(run=run)
    assert not check.matched and check.input_matched and "结果内容不一致" in check.detail
    assert ScoringRun.objects.get(pk=run.pk).status == ScoringRun.Status.MISMATCH
    assert AuditRecord.objects.get(action="rankings.scoring_run.reproduce").result == "failed"


def test_a_tampered_snapshot_is_detected_by_its_input_hash(comp_run, officer):
    snapshot = comp_run.snapshot
    snapshot["parts"][0]["cities"][0]["defence_score"] = 99.0
    ScoringRun.objects.filter(pk=comp_run.pk).update(snapshot=snapshot)
    run = ScoringRun.objects.get(pk=comp_run.pk)
    assert reproduce_run(user=officer, run=run) is False
    check = ReproductionCheck.objects.get(run=run)
    assert not check.input_matched and "输入摘要不一致" in check.detail


def test_a_broken_snapshot_is_a_mismatch_not_a_crash(comp_run, officer):
    snapshot = comp_run.snapshot
    snapshot["parts"][0]["cities"][0]["expert_scores"]["E1"]["D1.4"] = 400
    ScoringRun.objects.filter(pk=comp_run.pk).update(snapshot=snapshot)
    assert reproduce_run(user=officer, run=ScoringRun.objects.get(pk=comp_run.pk)) is False
    assert "快照无法复算" in ReproductionCheck.objects.get().detail


def test_the_button_reports_whether_the_bytes_matched(officer_client, comp_run):
    url = reverse("rankings:reproduce", args=[comp_run.pk])
    response = officer_client.post(url, {"track": "COMP"}, follow=True)
    body = response.content.decode()
    assert "复算结果与存储结果逐字节一致" in body and 'data-testid="last-check"' in body
    assert "复算一致" in body  # the run's status badge
    ScoringRun.objects.filter(pk=comp_run.pk).update(result_text=comp_run.result_text.replace("89.", "88.", 1))
    body = officer_client.post(url, {"track": "COMP"}, follow=True).content.decode()
    assert "复算结果与存储结果不一致" in body and "复算不一致" in body
    assert helpers.audit_actions() == ["rankings.scoring_run.create", "rankings.scoring_run.reproduce", "rankings.scoring_run.reproduce"]


def test_reproduce_accepts_post_only(officer_client, comp_run):
    assert officer_client.get(reverse("rankings:reproduce", args=[comp_run.pk])).status_code == 405
    assert not ReproductionCheck.objects.exists()
