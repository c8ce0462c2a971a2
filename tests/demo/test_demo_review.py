"""The demo's review stages (issue 14, issue 15): a panel of five pool experts with demo logins and
signed declarations, the review window open, four sheets submitted and one draft, a held and scored
defence, a scoring run from the batch's review data, and the list approved by a second officer in
public notice — all through the real services, and a second load that changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.batches.models import Batch
from icdc.demo.applications import demo_year
from icdc.demo.dataset import DEMO_PASSWORD
from icdc.demo.review import DEFENCE_SCORES, DEMO_EXPERTS, DRAFT_EXPERT

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_divisions", verbosity=0)
    call_command("load_indicators", "--publish", verbosity=0)
    call_command("load_demo", verbosity=0)


def _snapshot():
    from icdc.decisions.models import Objection, ObjectionNote, Proposal
    from icdc.rankings.models import ScoringRun
    from icdc.review.models import Declaration, DefenceScore, Expert, PanelDraw, ScoreSheet

    rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True))
            for model in (Batch, Expert, PanelDraw, Declaration, ScoreSheet, DefenceScore, ScoringRun, Proposal,
                          Objection, ObjectionNote)}
    # the statistics import records each (unchanged) import; nothing else is written again
    rows["audit"] = list(AuditRecord.objects.exclude(action="indicators.statistics.import").order_by("seq")
                         .values_list("seq", "action"))
    return rows


def test_the_demo_batch_goes_through_review_scoring_and_public_notice(demo, client):
    from icdc.decisions.models import Proposal
    from icdc.rankings.models import ScoringRun
    from icdc.review.models import Declaration, DefenceSlot, Expert, PanelDraw, ReviewWindow, ScoreSheet

    batch = Batch.objects.get(year=demo_year())
    panel = PanelDraw.objects.get(batch=batch)
    experts = {e.account.username: e for e in Expert.objects.select_related("account")}
    assert set(experts) == set(DEMO_EXPERTS)
    assert sorted(panel.members) == sorted(e.pk for e in experts.values()) and len(panel.members) == 5
    assert panel.leader in panel.members and panel.application_ids == [
        batch.applications.get(city__name="泰安市").pk]
    assert all(e.account.is_demo and not e.account.must_change_password for e in experts.values())
    assert Declaration.objects.filter(batch=batch).count() == 5 and Expert.objects.count() == 5
    window = ReviewWindow.objects.get(batch=batch)
    assert window.is_open_at(timezone.now())
    sheets = {s.expert.account.username: s.status
              for s in ScoreSheet.objects.filter(panel=panel).select_related("expert__account")}
    assert sheets == {u: ("draft" if u == DRAFT_EXPERT else "submitted") for u in DEMO_EXPERTS}
    slot = DefenceSlot.objects.get(panel=panel)
    assert slot.status == "held"
    assert {s.expert.account.username: s.score for s in slot.scores.select_related("expert__account")} \
        == {u: Decimal(v) for u, v in DEFENCE_SCORES.items()}
    run = ScoringRun.objects.get(batch=batch)
    assert list(run.city_results.values_list("city__name", "selected")) == [("泰安市", True)]
    proposal = Proposal.objects.get(batch=batch)
    assert proposal.status == "in_notice" and proposal.run == run
    assert proposal.proposed_by.username == "ministry"
    assert AuditRecord.objects.filter(action="decisions.proposal.approve", actor_username="ministry_checker").exists()
    assert {("review.panel.draw", "ministry"), ("review.window.set", "ministry"),
            ("review.defence.schedule", "ministry"), ("rankings.scoring_run.create", "ministry"),
            ("review.score_sheet.save", DRAFT_EXPERT)} <= set(AuditRecord.objects.values_list("action", "actor_username"))

    # the public notice is on the portal
    page = client.get("/portal/notices/").content.decode()
    assert batch.title in page and f"/portal/notices/{proposal.pk}/" in page
    assert "泰安市" in client.get(f"/portal/notices/{proposal.pk}/").content.decode()

    # the panel leader logs in and finds the task; the draft expert sees the draft
    leader = Expert.objects.get(pk=panel.leader).account.username
    for username in (leader, DRAFT_EXPERT):
        client.logout()
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and "_auth_user_id" in client.session, username
        tasks = client.get("/review/scoring/tasks/").content.decode()
        assert "泰安市" in tasks, username


def test_a_second_load_changes_nothing_and_prints_the_same_logins(demo):
    from io import StringIO

    before = _snapshot()
    first = StringIO()
    call_command("demo_logins", stdout=first)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _snapshot() == before
    assert "评审专家组：已存在（5 名专家" in out.getvalue() and "拟定名单：已存在（公示中" in out.getvalue()
    assert "公示异议：已存在（回执" in out.getvalue()
    again = StringIO()
    call_command("demo_logins", stdout=again)
    assert again.getvalue() == first.getvalue()
    assert all(u in first.getvalue() for u in [*DEMO_EXPERTS, "ministry_checker"])
    from icdc.review.models import Expert, PanelDraw

    leader = Expert.objects.get(pk=PanelDraw.objects.get(batch__year=demo_year()).leader).account.username
    assert f"（组长 {leader}）" in first.getvalue()


def test_the_notice_has_an_objection_waiting_in_the_officers_queue(demo, client):
    """Filed through the portal form's service (receipt, audit without an actor, officers told),
    by a unit about the city on the list; received, with one investigation note by ``ministry``."""
    from icdc.decisions.models import Objection, Proposal
    from icdc.decisions.services import normalise_receipt
    from icdc.demo.objections import OBJECTOR
    from icdc.notifications.models import Notification

    proposal = Proposal.objects.get(batch__year=demo_year())
    objection = Objection.objects.get()
    assert objection.proposal == proposal and objection.status == "received"
    assert normalise_receipt(objection.receipt) == objection.receipt
    assert (objection.filer_kind, objection.unit_name, objection.name) == (
        "unit", OBJECTOR["unit_name"], OBJECTOR["name"])
    assert objection.city.name == "泰安市" and "泰安市申报材料" in objection.facts
    assert proposal.entries.filter(city=objection.city, included=True).exists()
    assert [(n.author.username, bool(n.text)) for n in objection.notes.select_related("author")] == [("ministry", True)]
    filed = AuditRecord.objects.get(action="decisions.objection.file")
    assert filed.actor_id is None and filed.object_id == str(objection.pk)
    assert Notification.objects.filter(kind="decisions.objection.file", recipient__username="ministry").exists()

    client.post("/accounts/login/", {"username": "ministry", "password": DEMO_PASSWORD})
    queue = client.get(f"/decisions/proposals/{proposal.pk}/").content.decode()
    assert objection.receipt in queue and "已受理" in queue
    page = client.get(f"/decisions/objections/{objection.pk}/").content.decode()
    assert f"{OBJECTOR['unit_name']}（{OBJECTOR['name']}）" in page and OBJECTOR["contact"] in page
    client.post("/accounts/logout/")
    found = client.post("/portal/notices/receipt/", {"receipt": objection.receipt}).content.decode()
    assert 'data-testid="receipt-result"' in found and "泰安市" in found


def test_last_years_batch_is_announced_with_a_title_and_its_certificate(demo, client):
    from icdc.applications.models import Application
    from icdc.decisions.models import Proposal
    from icdc.documents.models import PublishedDocument
    from icdc.review.models import ReviewWindow
    from icdc.titles.models import Title

    open_batch = Batch.objects.get(year=demo_year())
    batch = Batch.objects.get(year=open_batch.year - 1)
    proposal = Proposal.objects.get(batch=batch)
    assert proposal.status == "announced" and proposal.announcement_number
    assert proposal.notice_end < proposal.announced_on
    assert AuditRecord.objects.filter(action="decisions.proposal.announce", actor_username="ministry_checker").exists()
    assert ReviewWindow.objects.get(batch=batch).closed_at is not None
    application = Application.objects.get(batch=batch)
    assert (application.city.name, application.status) == ("潍坊市", "selected")
    title = Title.objects.get(city__name="潍坊市")
    assert title.announced_on == proposal.announced_on and title.source_note == proposal.announcement_number
    certificate = PublishedDocument.objects.get(kind="certificate")
    assert "潍坊" in certificate.title
    # the portal: the announcement, the city's page, and the verification page knows the certificate
    assert proposal.announcement_number in client.get("/portal/announcements/").content.decode() or \
        batch.title in client.get("/portal/announcements/").content.decode()
    assert "信息消费示范城市" in client.get("/portal/cities/370700/").content.decode()
    found = client.post("/portal/verify/", {"digest": certificate.sm3}).content.decode()
    assert certificate.title in found


def test_the_demo_loads_in_a_year_the_holiday_library_does_not_know(db, settings, tmp_path):
    """In 2027 (beyond chinese-calendar's years) the notice's year is entered through the workdays
    service, New Year's Day only, with a note saying so; the notice and the announcement follow."""
    from freezegun import freeze_time

    from icdc.decisions.models import Proposal
    from icdc.workdays.models import YearSchedule

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_divisions", verbosity=0)
    call_command("load_indicators", "--publish", verbosity=0)
    with freeze_time("2027-03-10 02:00:00", tick=True):
        call_command("load_demo", verbosity=0)
        entered = YearSchedule.objects.get(year=2027)
        assert entered.holidays == ["2027-01-01"] and "演示数据" in entered.note
        assert dict(Proposal.objects.values_list("batch__year", "status")) == {2027: "in_notice",
                                                                              2026: "announced"}
