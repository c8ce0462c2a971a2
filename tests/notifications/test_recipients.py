"""Whom to notify: the selectors other apps pass to notify()/remind_once()."""

import pytest

from icdc.accounts.models import Role
from icdc.notifications.selectors import ministry_officers, users_of_division

pytestmark = pytest.mark.django_db


def test_city_applicants_of_a_city(people, jinan_city):
    people["jinan2"].is_active = False
    people["jinan2"].save()
    assert list(users_of_division(jinan_city, Role.CITY_APPLICANT)) == [people["jinan1"]]
    assert list(users_of_division(jinan_city, "city")) == [people["jinan1"]]


def test_provincial_officials_of_a_province(people, jinan_city):
    assert list(users_of_division(jinan_city.parent, Role.PROVINCIAL_OFFICIAL)) == [people["shandong"]]
    # exactly the division given: a city has no provincial officials of its own
    assert list(users_of_division(jinan_city, Role.PROVINCIAL_OFFICIAL)) == []
    assert list(users_of_division(None, Role.CITY_APPLICANT)) == []


def test_ministry_officers_are_the_active_ones(people):
    people["officer2"].is_active = False
    people["officer2"].save()
    assert list(ministry_officers()) == [people["officer1"]]
