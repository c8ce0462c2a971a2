"""The scoring pages: the expert's list and sheet, the attachment, the opinion, the officer's window,
progress, reminder and export pages — and the authorisation matrix of every page × role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from icdc.audit.models import AuditRecord
from icdc.review.models import ReviewWindow, ScoreSheet
from tests.applications import factories_review as fr

from .helpers import frozen_attachment, full_scores

pytestmark = pytest.mark.django_db
GUESS = 999999


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _login(client, user):
    client.force_login(user)
    return client


def _sheet_url(sw, app=0):
    return reverse("scoring:sheet", args=[sw["panel"].pk, sw["applications"][app].pk])


def _post_scores(client, sw, action, values, *, version=0, app=0):
    data = {"action": action, "version": version, "overall_comment": "总体意见"}
    data.update({f"score-{k}": v for k, v in values.items()})
    data.update({f"comment-{k}": f"{k} 评语" for k in values})
    return client.post(_sheet_url(sw, app), data, follow=True)


def test_the_expert_lists_their_tasks_only_after_signing(client, draft_version):
    from .helpers import scoring_world, sign

    sw = scoring_world(draft_version, signed=False)
    member = sw["members"][0]
    page = _login(client, member.account).get(reverse("scoring:tasks")).content.decode()
    assert 'data-testid="sign-first"' in page and 'data-testid="task"' not in page
    opened = client.get(_sheet_url(sw))
    assert opened.status_code == 302 and opened["Location"] == reverse("experts:declaration", args=[sw["batch"].pk])
    sign(member, sw["batch"])
    page = client.get(reverse("scoring:tasks")).content.decode()
    assert page.count('data-testid="task"') == 2
    assert sw["applications"][0].city.name in page and sw["applications"][1].city.name in page


def test_an_expert_not_on_the_panel_has_no_tasks(client, sw):
    outsider = sw["eligible"][-1]
    assert outsider.pk not in sw["panel"].members
    page = _login(client, outsider.account).get(reverse("scoring:tasks")).content.decode()
    assert 'data-testid="no-tasks"' in page


def test_the_sheet_page_shows_dossier_quantitative_rows_and_the_form(client, sw, media):
    attachment = frozen_attachment(sw["applications"][0])
    page = _login(client, sw["members"][0].account).get(_sheet_url(sw)).content.decode()
    assert "济南市工业和信息化局" not in page or 'data-testid="dossier"' in page
    assert 'data-testid="quantitative"' in page and 'data-code="D1.1"' in page
    assert page.count('name="score-') == 10 and 'name="score-D1.1"' not in page
    assert reverse("scoring:attachment", args=[sw["panel"].pk, sw["applications"][0].pk, attachment.pk]) in page
    assert reverse("applications:attachment_download", args=[sw["applications"][0].pk, attachment.pk]) not in page


def test_draft_then_submit_then_the_others_scores(client, sw):
    other = sw["members"][1]
    from icdc.review import scores

    scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][0], user=other.account,
                              scores=full_scores(sw["specs"], 0.9), version=0)
    _login(client, sw["members"][0].account)
    page = _post_scores(client, sw, "save", {"D1.4": "3"}).content.decode()
    assert "草稿已保存" in page and 'data-testid="others"' not in page
    sheet = ScoreSheet.objects.get(expert=sw["members"][0])
    assert sheet.status == "draft" and sheet.entries.get(indicator_code="D1.4").comment == "D1.4 评语"
    page = _post_scores(client, sw, "submit", full_scores(sw["specs"]), version=sheet.version).content.decode()
    assert "评分已提交" in page and 'data-testid="others"' in page and other.masked_name in page
    assert "3.60" in page  # the other's D1.4 (0.9 × 4)
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.overall_comment == "总体意见"


def test_refusals_on_the_page_are_shown_and_keep_what_was_typed(client, sw):
    _login(client, sw["members"][0].account)
    page = _post_scores(client, sw, "submit", {**full_scores(sw["specs"]), "D2.4": "9"}).content.decode()
    assert "须在 0 到 5 之间" in page and 'value="9"' in page or "须在 0 到 5 之间" in page
    assert not ScoreSheet.objects.exists()
    page = _post_scores(client, sw, "submit", {"D1.4": "1"}).content.decode()
    assert "尚未打分" in page and not ScoreSheet.objects.exists()


def test_after_the_window_closes_no_material_and_no_change(client, sw, media):
    attachment = frozen_attachment(sw["applications"][0])
    ReviewWindow.objects.filter(pk=sw["window"].pk).update(closed_at=timezone.now() - datetime.timedelta(seconds=1))
    _login(client, sw["members"][0].account)
    page = client.get(_sheet_url(sw)).content.decode()
    assert 'data-testid="window-closed"' in page and 'data-testid="quantitative"' not in page
    assert 'data-testid="save"' not in page and "附件一.pdf" not in page
    page = _post_scores(client, sw, "save", {"D1.4": "1"}).content.decode()
    assert "关闭" in page and not ScoreSheet.objects.exists()
    download = client.get(reverse("scoring:attachment", args=[sw["panel"].pk, sw["applications"][0].pk,
                                                              attachment.pk]))
    assert download.status_code == 302 and not AuditRecord.objects.filter(action="review.attachment.download").exists()


def test_the_attachment_downloads_for_the_assigned_expert_audited(client, sw, media):
    attachment = frozen_attachment(sw["applications"][0])
    url = reverse("scoring:attachment", args=[sw["panel"].pk, sw["applications"][0].pk, attachment.pk])
    response = _login(client, sw["members"][0].account).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    record = AuditRecord.objects.get(action="review.attachment.download")
    assert record.after["attachment"] == attachment.pk and record.actor_id == sw["members"][0].account_id
    # the same file through the other application's URL, or a file not in the frozen revision: 404
    wrong = reverse("scoring:attachment", args=[sw["panel"].pk, sw["applications"][1].pk, attachment.pk])
    assert client.get(wrong).status_code == 404


def test_the_leader_writes_the_opinion_on_the_page(client, sw):
    from icdc.review import scores

    panel, app = sw["panel"], sw["applications"][0]
    for member in sw["members"]:
        scores.score_sheet_submit(panel=panel, application=app, user=member.account,
                                  scores=full_scores(sw["specs"]), version=0)
    leader = next(m for m in sw["members"] if m.pk == panel.leader)
    other = next(m for m in sw["members"] if m.pk != panel.leader)
    url = reverse("scoring:opinion", args=[panel.pk, app.pk])
    assert _login(client, other.account).post(url, {"text": "越权"}).status_code == 404
    page = _login(client, leader.account).get(_sheet_url(sw)).content.decode()
    assert 'data-testid="opinion-form"' in page
    page = client.post(url, {"text": "同意该市通过材料评审。"}, follow=True).content.decode()
    assert "已保存专家组意见" in page and "同意该市通过材料评审。" in page
    assert app.panel_opinions.get().written_by == leader


def test_the_officer_sets_and_closes_the_window_with_a_confirmation(client, sw):
    _login(client, sw["officer"])
    url = reverse("scoring:window", args=[sw["batch"].pk])
    done = client.post(url, {"opens_at": "2026-01-01T09:00", "closes_at": "2026-01-01T08:00"})
    assert "须晚于开始时间" in done.content.decode()
    start = (timezone.now() - datetime.timedelta(hours=2)).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    end = start + datetime.timedelta(days=10)
    done = client.post(url, {"opens_at": start.strftime("%Y-%m-%dT%H:%M"), "closes_at": end.strftime("%Y-%m-%dT%H:%M")})
    assert done.status_code == 302
    window = ReviewWindow.objects.get()
    assert window.closes_at == end.replace(second=0, microsecond=0) and window.set_by == sw["officer"]
    close = reverse("scoring:window_close", args=[sw["batch"].pk])
    page = client.post(close)
    assert "确认关闭" in page.content.decode() and ReviewWindow.objects.get().closed_at is None
    client.post(close, {"confirm": "yes"})
    assert ReviewWindow.objects.get().closed_at is not None
    assert AuditRecord.objects.filter(action="review.window.close").count() == 1


def test_the_progress_page_reminder_and_export(client, sw):
    from icdc.review import scores

    scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][0], user=sw["members"][0].account,
                              scores=full_scores(sw["specs"]), version=0)
    _login(client, sw["officer"])
    page = client.get(reverse("scoring:progress", args=[sw["batch"].pk])).content.decode()
    assert page.count('data-status="submitted"') == 1 and page.count('data-status="none"') == 9
    assert "21.00" in page
    done = client.post(reverse("scoring:remind", args=[sw["batch"].pk]), follow=True).content.decode()
    assert "已提醒 5 位专家" in done
    export = client.get(reverse("scoring:export", args=[sw["panel"].pk]))
    assert export.status_code == 200 and export.content[:2] == b"PK"


# --- the authorisation matrix ---------------------------------------------------------------

OFFICER, MEMBER, OTHER_MEMBER, OUTSIDER, UNSIGNED, CITY, PROVINCE, ANON = (
    "officer", "member", "other_member", "outsider", "unsigned", "city", "province", "anonymous")
ROLES = [OFFICER, MEMBER, OTHER_MEMBER, OUTSIDER, UNSIGNED, CITY, PROVINCE, ANON]


@pytest.fixture
def matrix(draft_version, media):
    from .helpers import scoring_world, sign

    sw = scoring_world(draft_version, signed=False)
    for member in sw["members"][:-1]:
        sign(member, sw["batch"])
    outsider = sw["eligible"][-1] if sw["eligible"][-1].pk not in sw["panel"].members else sw["declared"]
    sign(outsider, sw["batch"])
    app = sw["applications"][0]
    users = {OFFICER: sw["officer"], MEMBER: sw["members"][0].account, OTHER_MEMBER: sw["members"][1].account,
             OUTSIDER: outsider.account, UNSIGNED: sw["members"][-1].account,
             CITY: fr.applicant(app.city), PROVINCE: fr.official(app.city.parent), ANON: None}
    return sw, users, frozen_attachment(app)


def _pages(sw, attachment):
    """(name, args, guessed args, method, the roles that may open it)."""
    panel, app, batch = sw["panel"], sw["applications"][0], sw["batch"]
    experts = {MEMBER, OTHER_MEMBER}
    return [
        ("scoring:sheet", [panel.pk, app.pk], [panel.pk, GUESS], "get", experts),
        ("scoring:sheet", [panel.pk, app.pk], [GUESS, app.pk], "get", experts),
        ("scoring:attachment", [panel.pk, app.pk, attachment.pk], [panel.pk, app.pk, GUESS], "get", experts),
        ("scoring:attachment", [panel.pk, app.pk, attachment.pk], [panel.pk, sw["applications"][1].pk, attachment.pk],
         "get", experts),
        # the leader only (refused with a message until every member submitted: back to the sheet)
        ("scoring:opinion", [panel.pk, app.pk], [panel.pk, GUESS], "post",
         {role for role, index in ((MEMBER, 0), (OTHER_MEMBER, 1)) if sw["members"][index].pk == panel.leader}),
        ("scoring:window", [batch.pk], [GUESS], "get", {OFFICER}),
        ("scoring:window_close", [batch.pk], [GUESS], "get", {OFFICER}),
        ("scoring:progress", [batch.pk], [GUESS], "get", {OFFICER}),
        ("scoring:remind", [batch.pk], [GUESS], "post", {OFFICER}),
        ("scoring:export", [panel.pk], [GUESS], "get", {OFFICER}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_the_authorisation_matrix(client, matrix, role):
    sw, users, attachment = matrix
    if users[role] is not None:
        client.force_login(users[role])
    wrong = []
    for name, args, guessed_args, method, allowed in _pages(sw, attachment):
        real = getattr(client, method)(reverse(name, args=args))
        guessed = getattr(client, method)(reverse(name, args=guessed_args))
        if role == ANON:
            ok = real.status_code == 302 and "/accounts/login/" in real["Location"] and guessed.status_code == 302
        elif role in allowed:
            ok = real.status_code in (200, 302) and guessed.status_code == 404
            if name == "scoring:sheet":
                ok = ok and real.status_code == 200
        elif role == UNSIGNED and name.startswith("scoring:") and name in ("scoring:sheet", "scoring:attachment"):
            declaration = reverse("experts:declaration", args=[sw["batch"].pk])
            # a guessed id of another application is a 404; a guessed file of an assigned one is sent
            # to sign first like the real one (nothing of the application is shown either way)
            ok = real.status_code == 302 and real["Location"] == declaration and (
                guessed.status_code == 404 or guessed["Location"] == declaration)
        elif role in (OUTSIDER, UNSIGNED, MEMBER, OTHER_MEMBER) and name in ("scoring:sheet", "scoring:attachment",
                                                                             "scoring:opinion"):
            ok = real.status_code == 404 and guessed.status_code == 404
        else:
            ok = real.status_code in (403, 404) and guessed.status_code == real.status_code
        if not ok:
            wrong.append((name, real.status_code, guessed.status_code))
    assert wrong == []
    tasks = client.get(reverse("scoring:tasks"))
    if role == ANON:
        assert tasks.status_code == 302
    elif role in (MEMBER, OTHER_MEMBER, OUTSIDER, UNSIGNED):
        assert tasks.status_code == 200
    else:
        assert tasks.status_code == 403


def test_the_experts_list_queries_do_not_grow(draft_version, client):
    """The same number of queries for 2 applications in a panel of 2 and 5 in a panel of 6."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .helpers import scoring_world

    counts = []
    for size, extra in ((2, 0), (6, 3)):
        sw = scoring_world(draft_version, size=size)
        for n in range(extra):
            sw["panel"].application_ids.append(fr.recommended(batch_obj=sw["batch"], city_obj=fr.city(
                f"4401{n}1", f"城市{n}")).pk)
        sw["panel"].save(update_fields=["application_ids"])
        scores_done = full_scores(sw["specs"])
        from icdc.review import scores

        scores.score_sheet_submit(panel=sw["panel"], application=sw["applications"][0],
                                  user=sw["members"][0].account, scores=scores_done, version=0)
        _login(client, sw["members"][0].account)
        url = reverse("scoring:tasks")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        expected = len(scores.review_tasks(sw["members"][0]))  # the pool is shared: world 1's experts are in it too
        assert page.content.decode().count('data-testid="task"') == expected >= 2 + extra
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_member_of_a_replaced_panel_gets_404(client, sw):
    from icdc.review.panels import panel_draw

    new = panel_draw(batch=sw["batch"], group="COMP", size=5, reserves=1, user=sw["officer"], seed="again")
    member = sw["members"][0]
    assert _login(client, member.account).get(_sheet_url(sw)).status_code == 404
    new_url = reverse("scoring:sheet", args=[new.pk, sw["applications"][0].pk])
    assert client.get(new_url).status_code == (200 if member.pk in new.members else 404)

