"""Uploading a YAML creates a new version; every problem is listed and nothing is saved on error."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.indicators.models import Indicator, IndicatorSetVersion


def _upload(client, text, name="v.yaml", label=""):
    return client.post(reverse("indicators:version_upload"),
                       {"file": SimpleUploadedFile(name, text.encode("utf-8")), "label": label})


def test_upload_creates_a_draft_version(officer_client, officer, draft_text):
    response = _upload(officer_client, draft_text, label="2024-上传")
    version = IndicatorSetVersion.objects.get(label="2024-上传")
    assert response.status_code == 302 and response.url == reverse("indicators:version_detail", args=[version.pk])
    assert (version.status, version.created_by, version.indicators.count()) == ("draft", officer, 33)
    record = AuditRecord.objects.get(action="indicators.version.create")
    assert (record.actor_id, record.after["label"]) == (officer.pk, "2024-上传")


def test_a_bad_file_lists_every_problem_and_saves_nothing(officer_client, draft_text):
    bad = (draft_text.replace("weight: 6, rule: linear, floor: 200", "weight: 6, rule: linear, floor: 2000")
           .replace("{code: D1.2,", "{code: D1.3,")
           .replace("{code: S3.3, name: 推广价值与核心竞争力, kind: qualitative, weight: 10}",
                    "{code: S3.3, name: 推广价值与核心竞争力, kind: qualitative, weight: 11, rule: linear}"))
    response = _upload(officer_client, bad)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert "体系 COMP › 维度 D1 › 指标 D1.1：线性计分的下限值与目标值不能相同" in problems
    assert any("代码 D1.3 重复" in p for p in problems)
    assert "体系 SPEC › 维度 S3 › 指标 S3.3：定性指标由专家评分，不应填写计分规则" in problems
    assert "体系 SPEC：共性部分合计 101 分，须为 100 分" in problems
    assert "未作任何更改" in response.content.decode()
    assert IndicatorSetVersion.objects.count() == 0 and Indicator.objects.count() == 0


def test_not_yaml_at_all(officer_client):
    response = _upload(officer_client, "version: x\nsystems: [\n")
    assert "YAML 格式错误" in response.context["problems"][0]
    response = _upload(officer_client, "x", name="v.txt")
    assert response.context["form"].errors == {"file": ["只接受 .yaml 或 .yml 文件"]}
    assert IndicatorSetVersion.objects.count() == 0


def test_uploading_an_existing_version_again_changes_nothing(officer_client, draft_version, draft_text):
    before = AuditRecord.objects.count()
    response = _upload(officer_client, draft_text)
    assert response.url == reverse("indicators:version_detail", args=[draft_version.pk])
    assert IndicatorSetVersion.objects.count() == 1 and AuditRecord.objects.count() == before


def test_same_label_other_content_is_refused(officer_client, draft_version, draft_text):
    other = draft_text.replace("target: 2000,", "target: 2100,")
    response = _upload(officer_client, other)
    assert response.context["problems"] == ["版本标识「draft-2019」已存在且内容不同；请为新内容使用新的版本标识。"]
