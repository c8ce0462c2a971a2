"""The engine's explanation texts, its refusals and the re-check result follow the reader's
language (issue 11, item 11): the engine writes Chinese templates with their fields, the
Django side translates each template at render time and fills in the same fields."""

import ast
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from icdc.rankings.adapters import RunInputError
from icdc.rankings.models import ScoringRun
from icdc.rankings.services import reproduce_run
from icdc.scoring import messages

from . import helpers

MESSAGES = Path(settings.BASE_DIR) / "icdc" / "scoring" / "messages.py"

#: Engine templates whose English the pages below must show (from the committed catalogue).
ENGINE_TEMPLATES = [messages.RULE_TEXT["linear"], messages.RULE_TEXT["threshold"],
                    messages.AGGREGATION_TEXT["trimmed_mean"], messages.COMPOSITE_TEXT,
                    messages.BAD_COMPOSITE_WEIGHTS]


@pytest.fixture
def english_catalogue():
    """The committed English catalogue translates the engine's templates (no test-only entries)."""
    catalog = trans_real.translation("en")._catalog
    assert all(catalog.get(msgid) for msgid in ENGINE_TEMPLATES)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, run, city="370200"):
    return client.get(reverse("rankings:city_explanation", args=[run.pk, "COMP", city])).content.decode()


def test_every_engine_message_is_marked_for_the_catalogue():
    tree = ast.parse(MESSAGES.read_text(encoding="utf-8"))
    texts = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and any("\u4e00" <= ch <= "\u9fff" or ch in "；" for ch in node.value)}
    extracted = subprocess.run(
        ["xgettext", "-L", "Python", "--keyword=gettext_noop", "--from-code=UTF-8", "--no-wrap", "-o", "-", str(MESSAGES)],
        capture_output=True, text=True, check=True).stdout
    msgids = {json.loads(line[6:]) for line in extracted.splitlines() if line.startswith('msgid "')} - {""}
    assert texts - msgids == set()
    assert messages.AHP_INCONSISTENT in msgids  # two literals joined, by Python and by xgettext alike
    assert len(msgids) >= 50


def test_chinese_page_keeps_the_engines_own_texts(officer_client, comp_run):
    body = _page(officer_client, comp_run)
    assert "线性计分：得分 = 6 × 限定在 0～1 之间的 (数值 − 200) ÷ (2000 − 200)" in body
    assert "5 位专家评分，去掉一个最高分和一个最低分后取平均" in body
    assert "综合得分 = 材料评审得分" in body


def test_english_page_translates_rules_aggregation_and_composite(client, officer, comp_run, english_catalogue):
    english(client).force_login(officer)
    body = _page(client, comp_run)
    assert "Linear scoring: score = 6 × (value − 200) ÷ (2000 − 200), clamped to 0–1" in body
    assert "Threshold scoring: full 3 points if value is at least 95, otherwise 0" in body
    assert "5 expert scores; highest and lowest dropped, then averaged" in body
    assert "Overall score = material review score " in body
    for chinese in ("线性计分", "达标计分", "去掉一个最高分", "综合得分 = 材料评审得分"):
        assert chinese not in body


def test_engine_refusal_is_in_the_users_language(officer, draft_version, figures, english_catalogue):
    with translation.override("en"), pytest.raises(RunInputError) as refused:
        helpers.create_comp_run(officer, draft_version, w_material=0.5, w_defence=0.7)
    assert refused.value.message == "The weights of material review and defence must be non-negative and sum to 1 (currently 0.5 and 0.7)"
    assert ScoringRun.objects.count() == 0


def test_recheck_result_is_shown_in_the_readers_language(client, officer, comp_run):
    document = json.loads(comp_run.result_text)
    document["cities"][2]["composite"] += 0.01
    ScoringRun.objects.filter(pk=comp_run.pk).update(result_text=json.dumps(document))
    with translation.override("zh-hans"):  # checked by someone reading Chinese
        reproduce_run(user=officer, run=ScoringRun.objects.get(pk=comp_run.pk))
    check = comp_run.checks.get()
    assert check.reasons == [["content", {}]]
    assert "结果内容不一致" in check.detail  # the audit note keeps the text of the moment

    english(client).force_login(officer)
    body = client.get(reverse("rankings:run_track", args=[comp_run.pk, "COMP"])).content.decode()
    assert "Result content differs" in body
    assert "结果内容不一致" not in body
