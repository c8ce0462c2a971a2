import datetime

import pytest
from django.utils import timezone

from icdc.accounts.models import Role
from tests.factories import make_user


@pytest.fixture
def definition(db):
    """The platform's programme definition, loaded the way ``load_programmes`` loads it."""
    from icdc.programmes.selectors import shipped_programme
    from icdc.programmes.services import programme_definition_load

    definition, _created = programme_definition_load(programme=shipped_programme("info-consumption-demonstration-city"))
    return definition


@pytest.fixture
def published_version(draft_version, officer):
    from icdc.indicators.services import publish_version

    publish_version(version=draft_version, user=officer)
    draft_version.refresh_from_db()
    return draft_version


@pytest.fixture
def settings_of_batch(published_version):
    """Valid settings for ``batch_create``: deadlines ahead, quotas for two tracks."""
    now = timezone.now()
    return {
        "year": 2031, "opens_on": now.date(), "city_deadline": now + datetime.timedelta(days=20),
        "province_deadline": now + datetime.timedelta(days=30), "quotas": {"COMP": 10, "LIFE": 3},
        "indicator_version": published_version, "material_weight": "0.6", "defence_weight": "0.4",
        "pass_mark": 60, "notice_working_days": 5,
    }


@pytest.fixture
def draft_batch(definition, settings_of_batch, officer):
    from icdc.batches.services import batch_create

    return batch_create(programme=definition, user=officer, **settings_of_batch)


@pytest.fixture
def second_officer(db):
    return make_user(Role.MINISTRY_OFFICER, username="officer-two")
