"""A batch with a drawn panel, submitted sheets and defence scores written with the ORM: the data a
scoring run is built from (issue 14 item 8)."""

import datetime
from decimal import Decimal

from django.utils import timezone

#: A tiny 综合型 system: one figure (0..100 → 0..40 points) and two expert-scored indicators (30 each).
TINY = """
version: tiny-test
systems:
  - code: COMP
    name: 综合型测试指标
    applies_to: 综合型
    dimensions:
      - code: D1
        name: 数据
        indicators:
          - {code: Q1, name: 信息消费规模, kind: quantitative, unit: 亿元, weight: 40, rule: linear, floor: 0, target: 100, source: 国家统计局}
      - code: D2
        name: 评审
        indicators:
          - {code: P1, name: 工作方案, kind: qualitative, weight: 30}
          - {code: P2, name: 推广价值, kind: qualitative, weight: 30}
"""
YEAR = 2022


def tiny_version():
    from icdc.indicators.services import import_version_document
    from icdc.indicators.yaml_io import load_document

    return import_version_document(document=load_document(TINY.encode()))[0]


def world(*, version, size=3, experts=None, quota=1, pass_mark=50, **panel):
    """``tests.review.factories.drawn_panel`` with the batch set up for a run: ``version`` locked,
    综合型 quota, weights 0.7/0.3 and ``pass_mark``."""
    from icdc.batches.models import Batch
    from tests.review.factories import drawn_panel

    data = drawn_panel(size=size, experts=experts or size + 3, **panel)
    batch = data["batch"]
    Batch.objects.filter(pk=batch.pk).update(indicator_version=version, quotas={"COMP": quota},
                                             material_weight=Decimal("0.7"), defence_weight=Decimal("0.3"),
                                             pass_mark=Decimal(pass_mark))
    batch.refresh_from_db()
    return {**data, "batch": batch}


def declare_figures(application, figures, year=YEAR):
    """Write ``figures`` ({code: value}) into the application's frozen revision, as the form stores them."""
    from icdc.applications.models import ApplicationRevision

    revision = ApplicationRevision.objects.get(application=application, number=application.revision_number)
    content = revision.content
    content.setdefault("sections", {})["figures"] = {
        code: {"value": str(value), "unit": "亿元", "year": str(year), "source": "nbs", "note": ""}
        for code, value in figures.items()}
    ApplicationRevision.objects.filter(pk=revision.pk).update(content=content)


def official_figure(city, code, value, year=YEAR, unit="亿元"):
    from icdc.indicators.models import StatisticFigure

    return StatisticFigure.objects.update_or_create(city=city, year=year, indicator_code=code, defaults={
        "value": value, "unit": unit, "source": "nbs", "entered_at": timezone.now()})[0]


def sheet(panel, application, expert, scores, *, submitted=True):
    """One expert's sheet ({code: score}) for ``application`` on ``panel``."""
    from icdc.review.models import ScoreEntry, ScoreSheet

    status = ScoreSheet.Status.SUBMITTED if submitted else ScoreSheet.Status.DRAFT
    obj = ScoreSheet.objects.create(panel=panel, application=application, expert=expert, track=panel.group,
                                    status=status, submitted_at=timezone.now() if submitted else None)
    ScoreEntry.objects.bulk_create([ScoreEntry(sheet=obj, indicator_code=code, score=Decimal(str(value)))
                                    for code, value in scores.items()])
    return obj


def sheets_bulk(panel, application, experts, codes, score_of):
    """Submitted sheets of ``experts`` in two bulk inserts (the benchmark's and query tests' sizes)."""
    from icdc.review.models import ScoreEntry, ScoreSheet

    now = timezone.now()
    made = ScoreSheet.objects.bulk_create([
        ScoreSheet(panel=panel, application=application, expert=e, track=panel.group,
                   status=ScoreSheet.Status.SUBMITTED, submitted_at=now) for e in experts])
    if made and made[0].pk is None:  # a backend that does not return primary keys
        made = list(ScoreSheet.objects.filter(panel=panel, application=application, expert__in=experts))
    ScoreEntry.objects.bulk_create([
        ScoreEntry(sheet=s, indicator_code=code, score=Decimal(str(score_of(s.expert_id, code)))) for s in made
        for code in codes])


def defence(panel, application, scores, *, officer, no_show=False):
    """A held defence slot with each member's score ({expert: score}), or a no-show."""
    from icdc.review.models import DefenceScore, DefenceSlot

    start = timezone.now() + datetime.timedelta(days=1)
    slot = DefenceSlot.objects.create(panel=panel, application=application, starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=1), scheduled_by=officer,
                                      status=DefenceSlot.Status.NO_SHOW if no_show else DefenceSlot.Status.HELD)
    DefenceScore.objects.bulk_create([DefenceScore(slot=slot, expert=e, score=Decimal(str(v)),
                                                   submitted_at=timezone.now()) for e, v in (scores or {}).items()])
    return slot


def hand_case(version):
    """Three experts, two applications (济南, 南京), the tiny system; see
    ``test_create_run_for_batch.test_the_ranking_is_the_one_computed_by_hand``."""
    data = world(version=version, size=3)
    panel, (jinan, nanjing), (a, b, c) = data["panel"], data["applications"], data["members"]
    official_figure(jinan.city, "Q1", 50)
    declare_figures(jinan, {"Q1": 99})  # the official figure wins
    declare_figures(nanjing, {"Q1": 80})  # no official figure: the declared one is used
    for expert, p1, p2 in ((a, 20, 10), (b, 25, 20), (c, 30, 30)):
        sheet(panel, jinan, expert, {"P1": p1, "P2": p2})
    sheet(panel, nanjing, a, {"P1": 15, "P2": 12})
    sheet(panel, nanjing, b, {"P1": 15, "P2": 12})
    sheet(panel, nanjing, c, {"P1": 30, "P2": 30}, submitted=False)  # a draft never counts
    defence(panel, jinan, {a: 80, b: 90, c: 70}, officer=data["officer"])
    defence(panel, nanjing, None, officer=data["officer"], no_show=True)
    return data
