"""Applications at the Ministry for the formal-review tests, through the real services."""

import datetime

from django.utils import timezone

from icdc.applications import services
from tests.applications import appform_factories as f
from tests.applications import factories_review as fr


def direct_arrived(city=None, user=None, the_batch=None):
    """Qingdao (a 计划单列市) fills and submits straight to the Ministry: revision 1 frozen, awaiting
    formal review. Returns (application, the city's user)."""
    city = city or f.qingdao()
    user = user or f.city_user(city)
    application = f.fill(f.started(user, the_batch or f.batch()), user)
    services.application_submit(application=application, user=user)
    application.refresh_from_db()
    return application, user


def in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


def recommended_with_people(code="370100", name="济南市", the_batch=None):
    """A recommended (province route) application, its city's user and its province's official."""
    city = fr.city(code, name)
    application = fr.recommended(batch_obj=the_batch or fr.batch(), city_obj=city)
    return application, fr.applicant(city), fr.official(city.parent)
