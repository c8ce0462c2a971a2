"""The defence tests start from ``tests.review.factories.drawn_panel``: a batch, 济南 and 南京 (综合型),
a panel of five far from both, an officer; helpers sign declarations and place slots."""

import datetime

import pytest
from django.utils import timezone

from icdc.review.models import Declaration, DefenceSlot
from tests.review import factories


def sign(expert, batch):
    return Declaration.objects.get_or_create(expert=expert, batch=batch, defaults={
        "text_version": "test", "text_sha256": "0" * 64, "signed_at": timezone.now()})[0]


def slot(world, application=None, *, status=DefenceSlot.Status.SCHEDULED, hours_ago=2, **fields):
    """A slot placed directly (the schedule service has its own tests), started ``hours_ago``."""
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    return DefenceSlot.objects.create(
        panel=world["panel"], application=application or world["applications"][0], starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30), mode=fields.pop("mode", DefenceSlot.Mode.ONLINE),
        meeting_link=fields.pop("meeting_link", "https://meeting.example.cn/123"), status=status,
        scheduled_by=world["officer"], **fields)


@pytest.fixture
def world(db):
    return factories.drawn_panel()


@pytest.fixture
def signed(world):
    """Every member signed the batch's declaration."""
    for expert in world["members"]:
        sign(expert, world["batch"])
    return world
