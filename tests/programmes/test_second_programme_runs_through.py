"""SPEC §7, issue 13: a second programme of the same shape (the made-up 示范项目 call of
``data/programmes/demo-project-call.yaml``: other types, domains, conditions and materials, a cap and
a ranking) runs an application from the batch to the Ministry's queue with no code change — only
the platform's services and the definition file."""

import datetime

import pytest
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.applications import completeness, services
from icdc.applications.recommendation import recommendation_document_generate
from icdc.applications.selectors import recommendation_cap_left
from icdc.applications.selectors_queue import ministry_queue
from icdc.batches import services as batches
from icdc.indicators.services import publish_version
from icdc.programmes.definition import load_programme
from icdc.programmes.services import programme_definition_load
from tests.applications import appform_factories as city_side
from tests.factories import division, make_user

pytestmark = pytest.mark.django_db

DEMO_CALL = "data/programmes/demo-project-call.yaml"


def test_an_application_of_the_made_up_programme_reaches_the_ministry(draft_version, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    officer = make_user(Role.MINISTRY_OFFICER)
    version = publish_version(version=draft_version, user=officer)
    definition, _created = programme_definition_load(programme=load_programme(DEMO_CALL), source=DEMO_CALL)
    programme = definition.programme
    now = timezone.now()
    batch = batches.batch_create(
        programme=definition, year=2031, title="2031年新型信息消费示范项目", opens_on=now.date(),
        city_deadline=now + datetime.timedelta(days=10), province_deadline=now + datetime.timedelta(days=20),
        quotas={track.code: 3 for track in programme.tracks}, indicator_version=version, user=officer)
    batch = batches.batch_open(batch=batch, user=officer)
    assert batch.status == "open" and batch.programme_code == "demo-project-call"

    jinan = division("370100", "济南市")
    city = city_side.city_user(jinan)
    application = services.application_start(batch=batch, city=jinan, user=city)
    assert (application.route, application.province.code) == ("province", "370000")
    scene = programme.type("SCENE")  # a type that chooses domains, as the made-up call defines it
    application = city_side.fill(application, city, type_code=scene.code, domains=[programme.domains[0].code])
    assert completeness.missing_items(application) == []
    application = services.application_submit(application=application, user=city)
    assert application.status == "submitted"
    frozen = application.revisions.get().content
    assert frozen["type"] == "SCENE" and frozen["domains"] == ["HOME"]

    official = make_user(Role.PROVINCIAL_OFFICIAL, division_obj=jinan.parent)
    assert recommendation_cap_left(application) == programme.recommendation_cap(programme.route_for(jinan)) == 10
    recommendation_document_generate(application=application, user=official, comments="同意推荐")
    application = services.application_recommend(application=application, user=official, comments="同意推荐",
                                                 rank=1)
    assert (application.status, application.recommendation_rank) == ("recommended", 1)
    assert recommendation_cap_left(application) == 9
    assert list(ministry_queue(batch=batch)) == [application]
