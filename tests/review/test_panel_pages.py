"""The officer's panel pages: list of every draw, the draw form with its confirmation, the decline form."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.review import panels
from icdc.review.models import PanelDraw
from tests.review import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return factories.panel_world()


def _officer(client, world):
    client.force_login(world["officer"])
    return client


def test_the_draw_form_asks_for_confirmation_then_draws(client, world):
    _officer(client, world)
    url = reverse("experts:panel_draw", args=[world["batch"].pk])
    data = {"group": "COMP", "size": 5, "reserves": 2}
    page = client.post(url, data)
    assert page.status_code == 200 and "确认抽取" in page.content.decode()
    assert not PanelDraw.objects.exists()
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == reverse("experts:panels", args=[world["batch"].pk])
    panel = PanelDraw.objects.get()
    listing = client.get(done["Location"]).content.decode()
    assert panel.seed in listing and panel.pool_hash in listing and "复核一致" in listing
    assert "回***" in listing  # masked as the pool list shows names: the surname only
    assert "回避专家" not in listing and "本人申报回避该城市" in listing and "与申报城市同省" in listing
    assert world["eligible"][0].name not in listing


def test_a_shortfall_is_shown_and_nothing_drawn(client, world):
    _officer(client, world)
    done = client.post(reverse("experts:panel_draw", args=[world["batch"].pk]),
                       {"group": "COMP", "size": 30, "reserves": 0, "confirm": "yes"}, follow=True)
    assert "符合条件的专家不足" in done.content.decode() and not PanelDraw.objects.exists()


def test_decline_through_the_page_and_redraw_keeps_the_old_draw(client, world):
    _officer(client, world)
    panel = panels.panel_draw(batch=world["batch"], group="COMP", size=5, reserves=1, user=world["officer"])
    url = reverse("experts:panel_decline", args=[panel.pk])
    data = {"expert": panel.members[0], "reason": "出国"}
    assert "确认替补" in client.post(url, data).content.decode()
    client.post(url, {**data, "confirm": "yes"})
    panel.refresh_from_db()
    assert panel.replacements[0]["reason"] == "出国" and panel.reserves == []
    refused = client.post(url, {"expert": panel.members[1], "reason": "回避", "confirm": "yes"}, follow=True)
    assert "请重新抽取本组专家" in refused.content.decode()
    client.post(reverse("experts:panel_draw", args=[world["batch"].pk]),
                {"group": "COMP", "size": 5, "reserves": 1, "confirm": "yes"})
    listing = client.get(reverse("experts:panels", args=[world["batch"].pk])).content.decode()
    assert listing.count('data-testid="panel-draw"') == 2 and "已被重新抽取替代" in listing


@pytest.mark.parametrize("role", [Role.EXPERT, Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.SYSTEM_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_other_roles_get_403(client, world, role_users, role):
    panel = panels.panel_draw(batch=world["batch"], group="COMP", size=3, reserves=0, user=world["officer"])
    client.force_login(role_users[role])
    assert client.get(reverse("experts:panels", args=[world["batch"].pk])).status_code == 403
    assert client.post(reverse("experts:panel_draw", args=[world["batch"].pk]),
                       {"group": "COMP", "size": 3, "reserves": 0, "confirm": "yes"}).status_code == 403
    assert client.post(reverse("experts:panel_decline", args=[panel.pk]),
                       {"expert": panel.members[0], "reason": "x", "confirm": "yes"}).status_code == 403
    assert PanelDraw.objects.count() == 1


def test_guessed_ids_are_404_for_the_officer(client, world):
    _officer(client, world)
    assert client.get(reverse("experts:panels", args=[999999])).status_code == 404
    assert client.post(reverse("experts:panel_draw", args=[999999]), {}).status_code == 404
    assert client.post(reverse("experts:panel_decline", args=[999999]), {}).status_code == 404


def test_the_batch_page_links_to_the_panels_for_the_officer_only(client, world, role_users):
    url = reverse("batches:detail", args=[world["batch"].pk])
    panels_url = reverse("experts:panels", args=[world["batch"].pk])
    assert panels_url in _officer(client, world).get(url).content.decode()
    client.force_login(role_users[Role.CITY_APPLICANT])
    page = client.get(url)
    assert panels_url not in page.content.decode()
