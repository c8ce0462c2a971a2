"""Who opens what, for every page of inspections and defences, with real and guessed ids: the officer has
the officer's pages; a signed current panel member reads the panel's inspections and scores its held
defences; an expert off the panel gets 404 (as for an id that does not exist); an unsigned member 403;
cities and the province 403 everywhere; anonymous is sent to log in."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.review.models import DefenceScore, DefenceSlot, SiteInspection, SiteInspectionFile
from tests.applications import factories_review as fr
from tests.factories import make_user
from tests.review.defence.conftest import sign, slot

pytestmark = pytest.mark.django_db
GUESS = 999999
OFFICER_PAGES = ("panel", "schedule", "conflicts", "inspection_new", "mark", "panel_export", "score_export",
                 "inspection_findings", "inspection_upload")
MEMBER_PAGES = ("inspection", "inspection_file", "score")


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    held = slot(world, status="held")
    inspection = SiteInspection.objects.create(panel=world["panel"], application=world["applications"][0],
                                               date="2027-03-10", decided_by=world["officer"],
                                               decided_at=held.starts_at, findings="考察意见")
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("inspections/t/a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    file = SiteInspectionFile.objects.create(inspection=inspection, display_name="纪要.pdf", storage_name=name,
                                             size=14, sha256="0" * 64, kind="pdf", uploaded_by=world["officer"])
    return {"slot": held, "inspection": inspection, "file": file}


def _urls(world, objects, pk=None):
    """name → (method, url); ``pk`` replaces every id (a guess)."""
    panel, batch = world["panel"].pk, world["batch"].pk
    s, i, f = objects["slot"].pk, objects["inspection"].pk, objects["file"].pk
    ids = {"panel": panel, "schedule": panel, "conflicts": panel, "inspection_new": panel, "mark": s,
           "score": s, "panel_export": batch, "score_export": batch, "inspection": i, "inspection_findings": i,
           "inspection_upload": i, "inspection_file": f}
    post = {"inspection_findings", "inspection_upload"}
    out = {name: ("post" if name in post else "get",
                  reverse(f"defence:{name}", args=[pk or ident])) for name, ident in ids.items()}
    out["mine"] = ("get", reverse("defence:mine"))
    return out


def _users(world):
    jinan, nanjing = world["applications"]
    member, unsigned, outsider = world["members"][0], world["members"][1], world["declared"]
    sign(member, world["batch"])
    sign(outsider, world["batch"])
    return {"officer": world["officer"], "member": member.account, "unsigned": unsigned.account,
            "outsider": outsider.account, "city": fr.applicant(jinan.city), "other_city": fr.applicant(nanjing.city),
            "province": fr.official(jinan.city.parent), "expert_outside_pool": make_user(Role.EXPERT)}


OK = {"get": 200, "post": 302}


def _expected(who, name, method):
    """(real, guessed) status codes."""
    if who == "officer":
        if name in ("mine", "score"):
            return 403, 403
        ok = 302 if name in ("schedule", "mark") else OK[method]
        return ok, 404
    if name == "mine":
        return (403, 403) if who not in ("member", "unsigned", "outsider") else (200, 200)
    if who in ("member", "unsigned", "outsider") and name in MEMBER_PAGES:
        return {"member": 200, "unsigned": 403, "outsider": 404}[who], 404
    return 403, 403


def test_every_role_against_every_page(world, objects, client):
    wrong = []
    for who, user in _users(world).items():
        client.force_login(user)
        real, guessed = _urls(world, objects), _urls(world, objects, GUESS)
        for name, (method, url) in real.items():
            got = getattr(client, method)(url).status_code
            got_guess = getattr(client, method)(guessed[name][1]).status_code
            if (got, got_guess) != _expected(who, name, method):
                wrong.append((who, name, got, got_guess, _expected(who, name, method)))
    assert wrong == []


def test_anonymous_is_sent_to_log_in(world, objects, client):
    for method, url in _urls(world, objects).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_refused_posts_change_nothing(world, objects, client):
    users = _users(world)
    for who in ("member", "city", "province", "outsider"):
        client.force_login(users[who])
        client.post(reverse("defence:mark", args=[objects["slot"].pk]), {"outcome": "no_show", "confirm": "yes"})
        client.post(reverse("defence:schedule", args=[world["panel"].pk]), {
            "application": world["applications"][1].pk, "starts_at": "2027-03-15T09:00",
            "ends_at": "2027-03-15T10:00", "mode": "online", "meeting_link": "https://x.example"})
        client.post(reverse("defence:inspection_findings", args=[objects["inspection"].pk]), {"findings": "改"})
    assert DefenceSlot.objects.count() == 1 and DefenceSlot.objects.get().status == "held"
    assert SiteInspection.objects.get().findings == "考察意见"
    for who in ("unsigned", "outsider", "city"):
        client.force_login(users[who])
        client.post(reverse("defence:score", args=[objects["slot"].pk]), {"score": "90"})
    assert not DefenceScore.objects.exists()
