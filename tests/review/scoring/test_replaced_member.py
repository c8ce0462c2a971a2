"""A member replaced by a reserve (panel_member_decline): their draft sheets are withdrawn and their
submitted ones set aside — kept with their scores, audited one by one, out of every count — they
can no longer open or write a sheet of the panel (told why, in Chinese), and the substitute starts
sheets of their own."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.review import panels, progress, scores
from icdc.review.models import Expert, ScoreEntry, ScoreSheet

from .helpers import full_scores, sign

pytestmark = pytest.mark.django_db


def _submit(sw, expert, app=0, fraction=0.5):
    return scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][app], user=expert.account,
                                     scores=full_scores(sw["specs"], fraction))


def _replace(sw, expert, reason="与申报单位存在利害关系"):
    panel = panels.panel_member_decline(draw_record=sw["panel"], expert=expert, reason=reason, user=sw["officer"])
    sw["panel"] = panel
    return Expert.objects.get(pk=panel.members[sw["members"].index(expert)])


@pytest.fixture
def replaced(sw):
    """Member 0 submitted 济南's sheet and has a draft of 南京's; members 1 and 2 submitted 济南's; then
    member 0 is replaced by the first reserve (who signs the declaration)."""
    gone = sw["members"][0]
    kept = _submit(sw, gone, fraction=1)
    draft = scores.score_sheet_save(panel=sw["panel"], application=sw["applications"][1], user=gone.account,
                                    scores={"D1.4": "1.5"})
    for member in sw["members"][1:3]:
        _submit(sw, member)
    jinan = sw["applications"][0].pk
    sw["before"] = scores.submitted_scores(sw["batch"])[jinan]["COMP"]
    substitute = _replace(sw, gone)
    sign(substitute, sw["batch"])
    return {**sw, "gone": gone, "substitute": substitute, "kept": kept, "draft": draft}


def test_the_results_count_the_replaced_members_scores_before_and_not_after(replaced):
    gone, jinan = replaced["gone"], replaced["applications"][0].pk
    one, two = (str(m.pk) for m in replaced["members"][1:3])
    assert set(replaced["before"]) == {str(gone.pk), one, two}
    after = scores.submitted_scores(replaced["batch"])
    assert set(after[jinan]["COMP"]) == {one, two}
    row = progress.batch_progress(replaced["batch"])[0]["rows"][0]
    assert row["submitted"] == 2 and gone.pk not in [c["expert"]["pk"] for c in row["cells"]]
    assert progress.unsubmitted_experts(replaced["batch"])[replaced["substitute"].pk] == 2
    _submit(replaced, replaced["substitute"], fraction=0.25)
    assert set(scores.submitted_scores(replaced["batch"])[jinan]["COMP"]) == {one, two, str(replaced["substitute"].pk)}


def test_the_replaced_members_sheets_are_kept_withdrawn_or_set_aside_and_audited_one_by_one(replaced):
    kept, draft, gone = replaced["kept"], replaced["draft"], replaced["gone"]
    kept.refresh_from_db()
    draft.refresh_from_db()
    assert kept.status == ScoreSheet.Status.SET_ASIDE and kept.submitted_at is not None
    assert draft.status == ScoreSheet.Status.WITHDRAWN
    assert ScoreEntry.objects.filter(sheet=kept, score__isnull=False).count() == len(replaced["specs"])
    assert ScoreEntry.objects.get(sheet=draft, indicator_code="D1.4").score == 1.5
    records = {r.action: r for r in AuditRecord.objects.filter(action__startswith="review.score_sheet.")
               .exclude(action__in=("review.score_sheet.save", "review.score_sheet.submit"))}
    assert set(records) == {"review.score_sheet.withdraw", "review.score_sheet.set_aside"}
    withdraw = records["review.score_sheet.withdraw"]
    assert withdraw.before == {"status": "draft"} and withdraw.after["status"] == "withdrawn"
    assert withdraw.after["expert"] == gone.pk and withdraw.after["substitute"] == replaced["substitute"].pk
    assert withdraw.detail == "与申报单位存在利害关系" and withdraw.object_id == str(draft.pk)
    assert records["review.score_sheet.set_aside"].before == {"status": "submitted"}
    replace = AuditRecord.objects.get(action="review.panel.replace")
    assert replace.after["withdrawn_sheets"] == [draft.pk] and replace.after["set_aside_sheets"] == [kept.pk]
    assert replace.pk > records["review.score_sheet.set_aside"].pk  # the panel's record last
    assert str(ScoreSheet.Status.WITHDRAWN.label) == "已撤回（专家替补或重新抽取）"


def test_the_replaced_member_can_no_longer_save_or_submit(replaced):
    gone = replaced["gone"]
    for service in (scores.score_sheet_save, scores.score_sheet_submit):
        for app in replaced["applications"]:
            with pytest.raises(Refusal) as refused:
                service(panel=replaced["panel"], application=app, user=gone.account,
                        scores=full_scores(replaced["specs"]))
            assert refused.value.code == "replaced" and "您已被替换" in str(refused.value)
    assert not ScoreSheet.objects.filter(expert=gone, status__in=scores.LIVE).exists()


def test_a_member_replaced_while_their_save_was_on_its_way_is_refused_under_the_lock(sw):
    """The page's panel was read before the replacement: the service re-reads the members."""
    gone, stale = sw["members"][0], sw["panel"]
    _replace(sw, gone)
    with pytest.raises(Refusal) as refused:
        scores._write(panel=stale, application=sw["applications"][0], expert=gone, user=gone.account,
                      scores={}, comments={}, overall_comment="", version=None, submit=False)
    assert refused.value.code == "replaced"
    assert not ScoreSheet.objects.filter(expert=gone).exists()


def test_the_substitute_starts_a_fresh_sheet_and_scores(replaced):
    substitute, jinan = replaced["substitute"], replaced["applications"][0]
    assert scores.sheet_of(substitute, replaced["panel"], jinan) is None
    sheet = _submit(replaced, substitute, fraction=0.25)
    assert sheet.pk != replaced["kept"].pk and sheet.expert == substitute and sheet.version == 1
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert {e.indicator_code: str(e.score) for e in sheet.entries.all()} == full_scores(replaced["specs"], 0.25)
    others = scores.others_scores(panel=replaced["panel"], application=jinan, expert=substitute)
    assert {o["expert"].pk for o in others} == {m.pk for m in replaced["members"][1:3]}


def test_one_live_sheet_per_expert_application_and_track_beside_withdrawn_ones(replaced):
    gone, jinan = replaced["gone"], replaced["applications"][0]
    fresh = ScoreSheet.objects.create(panel=replaced["panel"], application=jinan, expert=gone, track="COMP")
    assert ScoreSheet.objects.filter(expert=gone, application=jinan).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(panel=replaced["panel"], application=jinan, expert=gone, track="COMP")
    assert fresh.status == ScoreSheet.Status.DRAFT


# --- the pages ------------------------------------------------------------------------------


def _sheet_url(sw, app=0):
    return reverse("scoring:sheet", args=[sw["panel"].pk, sw["applications"][app].pk])


def test_the_replaced_member_opening_or_posting_the_sheet_is_told_why_and_sent_to_their_tasks(client, replaced):
    client.force_login(replaced["gone"].account)
    opened = client.get(_sheet_url(replaced))
    assert opened.status_code == 302 and opened["Location"] == reverse("scoring:tasks")
    page = client.get(_sheet_url(replaced), follow=True).content.decode()
    assert "您已被替换，不再是本组的评审专家" in page
    assert 'data-testid="task"' not in page and 'data-testid="replaced-sheet"' in page
    assert "已撤回（专家替补或重新抽取）" in page and "不计入（专家替补或重新抽取）" in page
    posted = client.post(_sheet_url(replaced, 1), {"action": "submit", "version": 1, "score-D1.4": "4"}, follow=True)
    assert "您已被替换" in posted.content.decode()
    replaced["draft"].refresh_from_db()
    assert replaced["draft"].status == ScoreSheet.Status.WITHDRAWN and replaced["draft"].version == 1


def test_the_substitute_opens_and_submits_the_sheet(client, replaced):
    client.force_login(replaced["substitute"].account)
    page = client.get(_sheet_url(replaced))
    assert page.status_code == 200 and "您已被替换" not in page.content.decode()
    data = {"action": "submit", "version": 0, "overall_comment": "同意"}
    data.update({f"score-{k}": v for k, v in full_scores(replaced["specs"]).items()})
    done = client.post(_sheet_url(replaced), data, follow=True).content.decode()
    assert "评分已提交" in done
    assert ScoreSheet.objects.get(expert=replaced["substitute"], application=replaced["applications"][0]).status \
        == ScoreSheet.Status.SUBMITTED


def test_someone_never_on_the_panel_still_gets_a_404(client, replaced):
    outsider = Expert.objects.exclude(pk__in=[*replaced["panel"].members, replaced["gone"].pk]).first()
    client.force_login(outsider.account)
    assert client.get(_sheet_url(replaced)).status_code == 404


def test_the_replaced_member_and_the_substitute_are_told_and_nobody_else(replaced):
    from icdc.notifications.models import Notification
    from icdc.review.replacements import REPLACED_KIND, SUBSTITUTE_KIND

    told = {(n.recipient_id, n.kind): n for n in Notification.objects.filter(kind__in=(REPLACED_KIND, SUBSTITUTE_KIND))}
    assert set(told) == {(replaced["gone"].account_id, REPLACED_KIND),
                         (replaced["substitute"].account_id, SUBSTITUTE_KIND)}
    gone = told[(replaced["gone"].account_id, REPLACED_KIND)]
    assert "您已被替换" in gone.title and replaced["batch"].title in gone.title and "COMP" not in gone.title
    assert gone.link == reverse("scoring:tasks") and gone.object_id == str(replaced["panel"].pk)
    assert "替补" in told[(replaced["substitute"].account_id, SUBSTITUTE_KIND)].title


def test_a_refused_replacement_tells_nobody(sw):
    from icdc.notifications.models import Notification

    with pytest.raises(Refusal):
        panels.panel_member_decline(draw_record=sw["panel"], expert=sw["members"][0], reason="  ", user=sw["officer"])
    outsider = Expert.objects.exclude(pk__in=[*sw["panel"].members, *sw["panel"].reserves]).first()
    if outsider is not None:
        with pytest.raises(Refusal):
            panels.panel_member_decline(draw_record=sw["panel"], expert=outsider, reason="x", user=sw["officer"])
    assert not Notification.objects.filter(kind__startswith="review.panel.").exists()
