"""The programme's whole lifecycle in Chromium (issue 14 and issue 15, "What it must show"): three cities
apply to an open batch (青岛, a 计划单列市, straight to the Ministry); 山东 recommends 济南 on its page;
formal review asks 青岛 for a supplement, 青岛 answers on its page and passes; a panel of five is drawn on
the page with a conflicted expert excluded and the reason shown; one member declines and a reserve
replaces them on the page; the experts score (the leader on the page) and the leader writes the panel's
opinion; the defences are scheduled and scored (one expert on the page); a scoring run is created from
the page and its ranking opened; a proposal with one departure and its reason, approved by a second
officer; the notice published; an objection filed on the public page and upheld; the notice period
ended; the announcement; the titles on the public portal; the certificate PDF verified on the
verification page.

Steps done through services instead of pages (each already browser-tested in its own e2e test) are
marked "(service)" below; NOTES-lifecycle.md lists them and why.
"""

import datetime
from decimal import Decimal

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from icdc.accounts.models import Role
from icdc.applications import services as app_services
from icdc.applications.models import Application
from icdc.batches.models import SHANGHAI, Batch
from icdc.decisions.models import Objection, Proposal
from icdc.rankings.models import ScoringRun
from icdc.review import defence, scores
from icdc.review.models import DefenceScore, DefenceSlot, Expert, PanelDraw, PanelOpinion, ScoreSheet
from icdc.titles.models import Title
from icdc.workdays.selectors import notice_period, plan_for
from icdc.workdays.services import year_schedule_save
from tests.applications import appform_factories as f
from tests.applications import factories_review as fr
from tests.e2e.test_application_round_trip import log_in, submit_on_the_page
from tests.factories import division, make_user
from tests.rankings import batch_world
from tests.review import factories as experts_factories
from tests.review.scoring.helpers import open_window, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _local(delta_minutes):
    moment = timezone.now().astimezone(SHANGHAI) + datetime.timedelta(minutes=delta_minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_the_whole_lifecycle_from_application_to_verified_certificate(page, live_server):
    base = live_server.url
    # The batch: a factory-made open batch (opening a batch through its pages is browser-tested in
    # test_city_application / the batches tests), running the tiny 综合型 indicator system of the
    # rankings tests (one declared figure, two expert-scored indicators) so that the scores stay short.
    version = batch_world.tiny_version()
    batch = f.batch(indicator_version=version)
    Batch.objects.filter(pk=batch.pk).update(quotas={"COMP": 2}, material_weight=Decimal("0.7"),
                                             defence_weight=Decimal("0.3"), pass_mark=Decimal(50),
                                             notice_working_days=5)
    batch.refresh_from_db()

    # ---- 1. Three cities apply: drafts filled through the form's services, submitted on the page.
    jinan_user = f.city_user(f.jinan(), username="lc-jinan")
    nanjing_user = f.city_user(division("320100", "南京市", province_name="江苏省"), username="lc-nanjing")
    qingdao_user = f.city_user(f.qingdao(), username="lc-qingdao")
    jinan = f.fill(f.started(jinan_user, batch), jinan_user)
    nanjing = f.fill(f.started(nanjing_user, batch), nanjing_user)
    qingdao = f.fill(f.started(qingdao_user, batch), qingdao_user)
    make_user(Role.PROVINCIAL_OFFICIAL, username="lc-shandong", division_obj=jinan.province)
    jiangsu = make_user(Role.PROVINCIAL_OFFICIAL, username="lc-jiangsu", division_obj=nanjing.province)
    officer = make_user(Role.MINISTRY_OFFICER, username="lc-officer")
    make_user(Role.MINISTRY_OFFICER, username="lc-checker")
    # The notice is published today (the pages read the real clock): when chinese-calendar does not
    # know this year or the next (a run in late December 2026 or later), a YearSchedule is entered
    # for it, as officers do, so that the working-day calendar never has to guess.
    this_year = timezone.now().astimezone(SHANGHAI).year
    for year in (this_year, this_year + 1):
        if plan_for(year) is None:
            year_schedule_save(year=year, holidays=[datetime.date(year, 1, 1)], working_days=[],
                               note="测试用日程", user=officer)

    log_in(page, base, "lc-jinan")
    submit_on_the_page(page, base, jinan, "待省级初审")
    log_in(page, base, "lc-qingdao")
    submit_on_the_page(page, base, qingdao, "已直接报送")
    app_services.application_submit(application=nanjing, user=nanjing_user)  # (service)
    assert dict(Application.objects.filter(batch=batch).values_list("city_id", "status")) == {
        "370100": "submitted", "320100": "submitted", "370200": "submitted_direct"}

    # ---- 2. Province review: 山东 generates its letter and recommends 济南 on the page.
    log_in(page, base, "lc-shandong")
    page.goto(f"{base}/preliminary/province/")
    page.get_by_role("link", name=jinan.number).click()
    page.get_by_label("推荐意见（写入推荐文件）").fill("工作基础扎实，同意推荐")
    page.get_by_test_id("generate-letter").click()
    expect(page.locator("body")).to_contain_text("已生成初审推荐文件")
    page.get_by_label("推荐意见", exact=True).fill("同意推荐")
    page.get_by_test_id("recommend").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_url(f"{base}/preliminary/province/")
    nanjing.refresh_from_db()
    fr.letter(nanjing, jiangsu)  # (service) 江苏's letter and recommendation
    app_services.application_recommend(application=nanjing, user=jiangsu, comments="同意推荐")
    assert Application.objects.get(pk=jinan.pk).status == "recommended"
    assert Application.objects.get(pk=nanjing.pk).status == "recommended"

    # ---- 3. Formal review: 青岛 asked for a supplement, answers on its page, then passes.
    log_in(page, base, "lc-officer")
    page.goto(f"{base}/formal-review/")
    queue = page.get_by_test_id("formal-queue")
    for name in ("青岛市", "济南市", "南京市"):
        expect(queue).to_contain_text(name)
    page.get_by_role("link", name=qingdao.number).click()
    page.get_by_test_id("unmet-condition:COMP-1").check()
    page.locator("#note-condition\\:COMP-1").fill("工作基础说明过简")
    page.get_by_test_id("formal-reasons").fill("请补充信息消费工作基础的具体说明")
    deadline = (timezone.now() + datetime.timedelta(days=7)).astimezone(SHANGHAI)
    page.get_by_test_id("formal-deadline").fill(deadline.strftime("%Y-%m-%dT17:00"))
    page.get_by_test_id("formal-supplement").click()
    page.wait_for_url(f"{base}/formal-review/")
    qingdao.refresh_from_db()
    assert (qingdao.status, qingdao.revision_number) == ("supplement", 2)

    log_in(page, base, "lc-qingdao")
    page.goto(f"{base}/applications/{qingdao.pk}/")
    expect(page.get_by_test_id("supplement-request")).to_contain_text("请补充信息消费工作基础的具体说明")
    page.locator("#id_summary-f0").fill("本市已建成信息消费体验中心十二个，工作基础扎实。")
    expect(page.get_by_test_id("status-summary")).to_contain_text("已自动保存", timeout=10000)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_load_state()
    assert Application.objects.get(pk=qingdao.pk).status == "supplemented"

    log_in(page, base, "lc-officer")
    page.goto(f"{base}/formal-review/{qingdao.pk}/")
    expect(page.get_by_test_id("supplement-diff")).to_contain_text("本市已建成信息消费体验中心十二个")
    page.get_by_test_id("formal-pass").click()
    page.wait_for_url(f"{base}/formal-review/")
    for app in (jinan, nanjing):
        page.goto(f"{base}/formal-review/{app.pk}/")
        page.get_by_test_id("formal-pass").click()
        page.wait_for_url(f"{base}/formal-review/")
    assert set(Application.objects.filter(batch=batch).values_list("status", flat=True)) == {"formal_passed"}

    # ---- 4. The pool and a panel of five drawn on the page; 鲁专家 (青岛, same province as 济南 and
    # 青岛) is excluded with the reason shown.
    far = [fr.city(code, name) for code, name in (("440100", "广州市"), ("330100", "杭州市"), ("210100", "沈阳市"))]
    pool = [experts_factories.expert(name=f"专家{n}", city=far[n % 3], employer=f"大学{n}",
                                     account=make_user(Role.EXPERT, username=f"lc-expert{n}")) for n in range(8)]
    assert len(pool) == 8
    conflicted = experts_factories.expert(name="鲁专家", city=fr.city("370200", "青岛市"), employer="青岛大学",
                             account=make_user(Role.EXPERT, username="lc-conflicted"))
    page.goto(f"{base}{reverse('experts:panels', args=[batch.pk])}")
    form = page.get_by_test_id("panel-draw-form")
    form.locator("[name=group]").select_option("COMP")
    form.locator("[name=size]").fill("5")
    form.locator("[name=reserves]").fill("2")
    form.get_by_role("button", name="抽取").click()
    page.get_by_test_id("confirm-button").click()
    page.wait_for_url(f"{base}{reverse('experts:panels', args=[batch.pk])}")
    panel = PanelDraw.objects.get(batch=batch)
    assert len(panel.members) == 5 and len(panel.reserves) == 2
    assert conflicted.pk not in panel.members + panel.reserves
    excluded = page.get_by_test_id("panel-excluded").text_content()
    assert "与申报城市同省" in excluded and "鲁" in excluded
    expect(page.get_by_test_id("verified")).to_have_count(1)

    # ---- 5. One member (not the leader) declines; the first reserve replaces them on the page.
    leaver = next(pk for pk in panel.members if pk != panel.leader)
    first_reserve = panel.reserves[0]
    leaver_name = Expert.objects.get(pk=leaver).name
    row = page.get_by_test_id("panel-members").locator("tr").filter(has=page.locator(f"input[value='{leaver}']"))
    row.get_by_label("不能参加的原因").fill("出国访问")
    row.get_by_role("button", name="替补").click()
    page.get_by_test_id("confirm-button").click()
    panel.refresh_from_db()
    assert leaver not in panel.members and first_reserve in panel.members and len(panel.members) == 5
    assert panel.replacements[0]["reason"] == "出国访问"
    expect(page.locator("body")).to_contain_text("出国访问")
    members = list(Expert.objects.filter(pk__in=panel.members))
    leader = next(m for m in members if m.pk == panel.leader)
    assert leaver_name not in [m.name for m in members]

    # ---- 6. Scoring. The review window is opened (service; its page is tested in tests/review/scoring);
    # the leader signs the declaration and scores 青岛 on the page; the others sign and submit (service).
    open_window(batch, officer)
    cities = {"370200": qingdao, "370100": jinan, "320100": nanjing}
    points = {"370200": (27, 26), "370100": (24, 23), "320100": (21, 20)}
    for app in cities.values():
        batch_world.official_figure(app.city, "Q1", 80)
        app.refresh_from_db()
        batch_world.declare_figures(app, {"Q1": 80})
    for member in members:
        if member.pk == leader.pk:
            continue
        sign(member, batch)
        for code, app in cities.items():
            p1, p2 = points[code]
            scores.score_sheet_submit(panel=panel, application=app, user=member.account,
                                      scores={"P1": p1, "P2": p2}, version=0)
    log_in(page, base, leader.account.username)
    page.get_by_role("link", name="我的评审任务").first.click()
    page.get_by_test_id("sign-first").click()
    page.get_by_test_id("sign").click()
    page.get_by_role("button", name="确认签署").click()
    assert page.get_by_test_id("signed").count() == 1
    for code, app in cities.items():
        page.goto(f"{base}/review/scoring/tasks/")
        page.get_by_test_id("task").filter(has_text=app.city.name).get_by_role("link", name="打开").click()
        for indicator, value in zip(("P1", "P2"), points[code], strict=True):
            page.locator(f"input[name='score-{indicator}']").fill(str(value))
        page.locator("#overall_comment").fill("材料完整。")
        page.get_by_test_id("submit").click()
        assert "评分已提交" in page.content()
        expect(page.get_by_test_id("other")).to_have_count(4)
        if code == "370200":
            page.locator("textarea[name='text']").fill("专家组一致同意青岛市通过材料评审。")
            page.get_by_test_id("write-opinion").click()
            assert "已保存专家组意见" in page.content()
            assert "专家组一致同意" in page.get_by_test_id("opinion").inner_text()
    assert ScoreSheet.objects.filter(panel=panel, status="submitted").count() == 15
    assert PanelOpinion.objects.get(panel=panel, application=qingdao).written_by == leader

    # ---- 7. Defences: scheduled and recorded as held on the officer's page; the leader scores 青岛's
    # defence on their page; the other members submit theirs (service).
    log_in(page, base, "lc-officer")
    page.goto(f"{base}{reverse('experts:panels', args=[batch.pk])}")
    page.get_by_test_id("defence-link").click()
    for n, app in enumerate(cities.values()):
        form = page.get_by_test_id("schedule-form")
        form.get_by_label("申报城市").select_option(label=f"{app.city.name}（{app.number}）")
        form.get_by_label("开始时间（北京时间）").fill(_local(-180 + 40 * n))
        form.get_by_label("结束时间（北京时间）").fill(_local(-150 + 40 * n))
        form.get_by_label("方式").select_option("online")
        form.get_by_label("会议链接（线上答辩）").fill(f"https://meeting.example.cn/{app.city_id}")
        form.get_by_role("button", name="安排答辩").click()
        assert "已安排答辩" in page.content()
    for app in cities.values():
        page.get_by_test_id("slot").filter(has_text=app.city.name).get_by_test_id("mark-held").click()
        page.get_by_role("button", name="确认登记").click()
        assert "已登记" in page.content()
    slots = {s.application.city_id: s for s in DefenceSlot.objects.filter(panel=panel).select_related("application")}
    assert {s.status for s in slots.values()} == {"held"}
    defence_points = {"370200": "90", "370100": "85", "320100": "80"}
    for member in members:
        for code, slot in slots.items():
            if member.pk != leader.pk or code != "370200":
                defence.defence_score_submit(slot=slot, user=member.account, score=defence_points[code])
    log_in(page, base, leader.account.username)
    page.goto(f"{base}/review/defence/mine/")
    page.locator("tr").filter(has_text="青岛市").get_by_test_id("score-link").click()
    page.get_by_label("答辩得分（0～100，最多两位小数）").fill("90")
    page.get_by_label("评语").fill("答辩清楚，数据翔实")
    page.get_by_role("button", name="提交评分").click()
    assert "90" in page.get_by_test_id("my-score").inner_text()
    assert DefenceScore.objects.filter(slot__panel=panel).count() == 15
    assert DefenceScore.objects.get(slot=slots["370200"], expert=leader).score == Decimal("90")

    # ---- 8. A scoring run created from the page; its ranking under the quota of two.
    log_in(page, base, "lc-officer")
    page.goto(f"{base}/rankings/")
    page.get_by_test_id("run-create").click()
    page.get_by_label("批次").select_option(str(batch.pk))
    page.get_by_test_id("run-preview").click()
    inputs = page.get_by_test_id("run-input-rows").inner_text()
    assert all(name in inputs for name in ("青岛市", "济南市", "南京市")) and "5 / 5" in inputs
    page.get_by_test_id("confirm-button").click()
    assert "评分运行已生成" in page.content()
    run = ScoringRun.objects.get(batch=batch)
    rows = page.get_by_test_id("ranking").locator("tbody tr")
    assert [rows.nth(i).get_attribute("data-city") for i in range(3)] == ["370200", "370100", "320100"]
    assert [rows.nth(i).get_attribute("data-selected") for i in range(3)] == ["1", "1", "0"]

    # ---- 9. The proposal: 南京 added beyond the ranking, with its reason; submitted for approval.
    page.goto(f"{base}{reverse('decisions:proposal_list')}?run={run.pk}&batch={batch.pk}")
    page.get_by_role("button", name="拟定名单").click()
    proposal = Proposal.objects.get(batch=batch)
    page.wait_for_url(f"**{reverse('decisions:proposal_detail', args=[proposal.pk])}")
    nanjing_entry = proposal.entries.get(city_id="320100")
    assert sorted(proposal.entries.filter(included=True).values_list("city_id", flat=True)) == ["370100", "370200"]
    page.locator(f"#include-{nanjing_entry.pk}").check()
    page.locator(f"#reason-{nanjing_entry.pk}").fill("南京市特色突出，经研究拟增补列入。")
    page.get_by_test_id("save").click()
    nanjing_entry.refresh_from_db()
    assert nanjing_entry.included and nanjing_entry.reason == "南京市特色突出，经研究拟增补列入。"
    page.get_by_role("button", name="提交审核").click()
    proposal.refresh_from_db()
    assert proposal.status == "pending"

    # ---- 10. Approval by a second officer, who publishes the notice (today, in Beijing time).
    log_in(page, base, "lc-checker")
    page.goto(f"{base}{reverse('decisions:proposal_detail', args=[proposal.pk])}")
    page.get_by_role("button", name="审核通过").click()
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.approved_by.username == "lc-checker"
    assert "南京市特色突出" in page.locator("tr[data-city='320100']").inner_text()
    page.get_by_role("button", name="发布公示").click()
    page.get_by_test_id("confirm-button").click()
    proposal.refresh_from_db()
    published_on = timezone.now().astimezone(SHANGHAI).date()
    assert proposal.status == "in_notice" and proposal.notice_working_days == 5
    assert (proposal.notice_start, proposal.notice_end) == notice_period(published_on, 5)
    assert proposal.notice_start > published_on  # the publication day does not count (the default setting)
    expect(page.get_by_test_id("period")).to_contain_text("5 个工作日")

    # ---- 11. An objection filed on the public page (anonymous; the CAPTCHA answer read from its store).
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('public_notices:notice_detail', args=[proposal.pk])}")
    assert sorted(page.locator("[data-testid=list-COMP] li").evaluate_all(
        "items => items.map(li => li.dataset.city)")) == ["320100", "370100", "370200"]
    form = page.get_by_test_id("objection-form")
    form.get_by_label("真实姓名").fill("张三")
    form.get_by_label("联系方式").fill("13800000000")
    form.get_by_label("涉及城市").select_option(label="济南市")
    form.get_by_label("异议事实和理由").fill("济南市申报材料中的信息消费规模与统计年鉴不一致。")
    hashkey = form.locator("input[name=captcha_0]").get_attribute("value")
    form.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=hashkey).response)
    form.get_by_role("button", name="提交异议").click()
    receipt = page.get_by_test_id("receipt").inner_text()
    objection = Objection.objects.get(receipt=receipt)
    assert objection.city_id == "370100" and objection.status == "received"

    # ---- 12. The officer investigates and upholds it; the place stays vacant, with the reason.
    log_in(page, base, "lc-officer")
    page.goto(f"{base}{reverse('decisions:objection_detail', args=[objection.pk])}")
    page.get_by_role("button", name="开始调查").click()
    page.locator("#uphold-note").fill("经核实，异议属实，济南市不列入名单。")
    page.locator("#vacant").check()
    page.locator("#vacancy_reason").fill("已增补南京市，名额不再递补。")
    page.get_by_role("button", name="异议成立").click()
    page.get_by_test_id("confirm-button").click()
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.reply == "经核实，异议属实，济南市不列入名单。"
    assert not proposal.entries.get(city_id="370100").included
    expect(page.get_by_test_id("status")).to_have_text("异议成立")
    expect(page.get_by_test_id("vacancy")).to_contain_text("已增补南京市，名额不再递补。")

    # ---- 13. The notice period ends. The pages read the real clock, so (as the decisions tests pass
    # ``now`` to the services instead) the period is moved into the past: it ended yesterday.
    today = timezone.now().astimezone(SHANGHAI).date()
    Proposal.objects.filter(pk=proposal.pk).update(notice_start=today - datetime.timedelta(days=10),
                                                   notice_end=today - datetime.timedelta(days=1))

    # ---- 14. The announcement: titles for 青岛 and 南京; 济南 closed as not selected.
    page.goto(f"{base}{reverse('decisions:proposal_detail', args=[proposal.pk])}")
    page.locator("#number").fill("工信部信发〔2026〕88号")
    page.get_by_role("button", name="发布公告").click()
    page.get_by_test_id("confirm-button").click()
    proposal.refresh_from_db()
    assert proposal.status == "announced"
    titles = Title.objects.all()  # a fresh database: only this announcement's
    assert sorted(titles.values_list("city_id", flat=True)) == ["320100", "370200"]
    assert {(t.award_title, t.status) for t in titles} == {("信息消费示范城市（综合型）", "active")}
    assert dict(Application.objects.filter(batch=batch).values_list("city_id", "status")) == {
        "370200": "selected", "320100": "selected", "370100": "not_selected"}

    page.context.clear_cookies()
    page.goto(f"{base}/portal/announcements/")
    expect(page.locator("main")).to_contain_text("工信部信发〔2026〕88号")

    # ---- 15. The public portal lists the titles; 青岛's certificate is downloaded and verified.
    page.context.clear_cookies()
    page.goto(f"{base}/portal/cities/")
    cities_table = page.locator("table[data-testid=titles] tbody").inner_text()
    assert "青岛市" in cities_table and "南京市" in cities_table and "济南市" not in cities_table
    page.goto(f"{base}/portal/cities/370200/")
    expect(page.get_by_test_id("history")).to_contain_text("信息消费示范城市（综合型）")
    href = page.get_by_test_id("certificate").get_attribute("href")
    pdf = page.request.get(f"{base}{href}").body()
    assert pdf.startswith(b"%PDF")
    page.goto(f"{base}/portal/verify/")
    page.get_by_test_id("verify-form").locator("input[type=file]").set_input_files(
        {"name": "证书.pdf", "mimeType": "application/pdf", "buffer": pdf})
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("verify-found")).to_be_visible()
    assert "青岛市" in page.get_by_test_id("found-title").inner_text()
