"""Batches and applications as real rows, placed directly in a state (tests only: the platform
itself moves them only through ``icdc.lib.workflow.perform``)."""

import datetime
import itertools

from django.utils import timezone

from tests.factories import division

_year = itertools.count(2030)


def _shipped_programme():
    from icdc.programmes.selectors import DEFAULT_CODE, shipped_programme

    return shipped_programme(DEFAULT_CODE).document


def open_batch(*, programme_document=None, city_deadline_in=datetime.timedelta(days=20),
               province_deadline_in=datetime.timedelta(days=30), **fields):
    from icdc.batches.models import Batch

    now = timezone.now()
    programme_code = fields.pop("programme_code", "info-consumption-demonstration-city")
    year = fields.pop("year", None)
    while year is None or Batch.objects.filter(programme_code=programme_code, year=year).exists():
        year = next(_year)  # a year no other batch of this programme holds (one batch per programme and year)
    return Batch.objects.create(
        year=year, title=fields.pop("title", f"{year}年信息消费示范城市申报"),
        programme_code=programme_code,
        programme_version=fields.pop("programme_version", "test"),
        programme_document=programme_document if programme_document is not None else _shipped_programme(),
        status=fields.pop("status", "open"), opens_on=now.date(),
        city_deadline=now + city_deadline_in, province_deadline=now + province_deadline_in,
        quotas=fields.pop("quotas", {"comprehensive": 5}), **fields)


def application(*, batch=None, city=None, route="province", status="draft", type_code="comprehensive", **fields):
    from icdc.applications.models import Application

    batch = batch or open_batch()
    city = city or division("370100", "济南市")
    province = city.parent if route == "province" else None
    return Application.objects.create(batch=batch, city=city, route=route, province=province, status=status,
                                      type_code=type_code, number=f"{batch.year}-{batch.pk:03d}-{city.code}",
                                      **fields)
