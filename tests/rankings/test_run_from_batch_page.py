"""The page that creates a scoring run for a batch: choose, see what goes in, confirm, open the run;
the run's leniency calibration and each member's defence score beside the ranking."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.rankings.models import ScoringRun
from icdc.review.models import mask_name

from . import batch_world, helpers

CREATE = reverse("rankings:run_create")


@pytest.fixture
def case(db):
    return batch_world.hand_case(batch_world.tiny_version())


@pytest.fixture
def client_of(client, case):
    client.force_login(case["officer"])
    return client


def test_the_page_lists_the_batches_to_choose_from(client_of, case):
    body = client_of.get(CREATE).content.decode()
    assert case["batch"].title in body and 'data-testid="run-inputs"' not in body


def test_choosing_a_batch_shows_what_will_go_in(client_of, case):
    body = client_of.get(CREATE, {"batch": case["batch"].pk}).content.decode()
    assert 'data-testid="run-inputs"' in body and 'data-testid="confirm-form"' in body
    assert "3 / 3" in body and "2 / 3" in body  # sheets submitted per application / panel size
    assert "3 位专家评分" in body and "未到场（按 0 分计）" in body
    assert "已提交的专家评分表 5 份" in body and "未到场答辩 1 件" in body
    assert "统计数据年份 2022" in body
    assert not ScoringRun.objects.exists()


def test_a_post_without_the_confirmation_asks_for_it_and_changes_nothing(client_of, case):
    response = client_of.post(CREATE, {"batch": case["batch"].pk})
    assert 'data-testid="confirm-title"' in response.content.decode()
    assert not ScoringRun.objects.exists()


def test_confirming_creates_the_run_and_opens_it(client_of, case):
    response = client_of.post(CREATE, {"batch": case["batch"].pk, "seed": "9", "confirm": "yes"}, follow=True)
    run = ScoringRun.objects.get()
    assert run.batch_id == case["batch"].pk and run.seed == 9
    assert response.redirect_chain[0][0] == reverse("rankings:run_detail", args=[run.pk])
    body = response.content.decode()
    assert "评分运行已生成" in body and 'data-city="370100" data-selected="1"' in body
    assert AuditRecord.objects.filter(action="rankings.scoring_run.create").count() == 1


def test_a_refusal_is_shown_and_nothing_is_stored(client_of, case):
    from icdc.batches.models import Batch

    Batch.objects.filter(pk=case["batch"].pk).update(quotas={})
    response = client_of.post(CREATE, {"batch": case["batch"].pk, "confirm": "yes"})
    body = response.content.decode()
    assert 'data-testid="run-error"' in body and "名额" in body
    assert not ScoringRun.objects.exists()
    assert not AuditRecord.objects.filter(action="rankings.scoring_run.create").exists()


def test_a_guessed_batch_is_a_form_error_not_a_crash(client_of, case):
    response = client_of.get(CREATE, {"batch": 987654})
    assert response.status_code == 200 and 'data-testid="run-inputs"' not in response.content.decode()
    assert client_of.post(CREATE, {"batch": 987654, "confirm": "yes"}).status_code == 200
    assert not ScoringRun.objects.exists()


def test_the_leniency_calibration_is_shown_per_expert_with_masked_names(client_of, case):
    from icdc.rankings.services import create_run_for_batch

    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=3)
    ranking = client_of.get(reverse("rankings:run_track", args=[run.pk, "COMP"])).content.decode()
    assert reverse("rankings:run_leniency", args=[run.pk]) in ranking
    body = client_of.get(reverse("rankings:run_leniency", args=[run.pk])).content.decode()
    assert body.count('data-testid="word"') == 3
    for expert in case["members"]:
        assert f"{mask_name(expert.name)}（{expert.pk}）" in body and expert.name not in body
    # c scored highest everywhere (30, 30 on 济南 and a draft on 南京 that does not count): most lenient
    c = case["members"][2]
    first = body.index('data-expert="')
    assert body[first:first + 30].startswith(f'data-expert="{c.pk}"')


def test_the_explanation_shows_each_members_defence_score(client_of, case):
    from icdc.rankings.services import create_run_for_batch

    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=3)
    body = client_of.get(reverse("rankings:city_explanation", args=[run.pk, "COMP", "370100"])).content.decode()
    assert 'data-testid="defence-experts"' in body and "3 位专家答辩评分，取平均" in body
    assert f"{mask_name(case['members'][0].name)}（{case['members'][0].pk}）" in body
    no_show = client_of.get(reverse("rankings:city_explanation", args=[run.pk, "COMP", "320100"])).content.decode()
    assert "无答辩得分，按 0 分计" in no_show


def test_the_explanation_export_has_the_defence_sheet(client_of, case):
    from icdc.rankings.services import create_run_for_batch

    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=3)
    response = client_of.get(reverse("rankings:export_explanation", args=[run.pk, "COMP", "370100"]))
    book = helpers.workbook(response.content)
    assert book.sheetnames == ["指标得分", "专家评分", "答辩评分"]
    values = [row for row in book["答辩评分"].iter_rows(values_only=True)]
    scored = [row for row in values if row and isinstance(row[1], (int, float)) and row[0] != "答辩得分"]
    assert sorted(row[1] for row in scored) == [70, 80, 90]
    assert all(f"（{e.pk}）" in "".join(str(r[0]) for r in scored) for e in case["members"])


def test_the_batch_page_links_to_the_run_page(client_of, case):
    body = client_of.get(reverse("batches:detail", args=[case["batch"].pk])).content.decode()
    assert f'{CREATE}?batch={case["batch"].pk}' in body


# --- authorisation: every new view × role, with guessed IDs ------------------------------------

OTHERS = [Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.EXPERT, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]


def _new_urls(run_pk, batch_pk):
    return [("get", CREATE, {}), ("get", CREATE, {"batch": batch_pk}),
            ("post", CREATE, {"batch": batch_pk, "confirm": "yes"}),
            ("get", reverse("rankings:run_leniency", args=[run_pk]), {})]


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_are_refused_on_real_and_guessed_ids(client, role_users, case, role):
    from icdc.rankings.services import create_run_for_batch

    run = create_run_for_batch(batch=case["batch"], user=case["officer"], seed=3)
    client.force_login(role_users[role])
    for run_pk, batch_pk in ((run.pk, case["batch"].pk), (run.pk + 1000, case["batch"].pk + 1000)):
        for method, url, data in _new_urls(run_pk, batch_pk):
            assert getattr(client, method)(url, data).status_code == 403, (role, url, data)
    assert ScoringRun.objects.count() == 1
    assert AuditRecord.objects.filter(action="accounts.permission.deny", actor_id=role_users[role].pk).count() == 8


def test_anonymous_is_sent_to_login(client, case):
    for method, url, data in _new_urls(1, case["batch"].pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "login" in response["Location"]
    assert not ScoringRun.objects.exists()


def test_the_officer_gets_404_for_a_guessed_run(client_of, case):
    assert client_of.get(reverse("rankings:run_leniency", args=[424242])).status_code == 404
