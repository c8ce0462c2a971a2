"""Masking for roles that don't need the full number (SECURITY.md 数据保密性)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from icdc.accounts.models import Role
from icdc.lib.masking import mask_id_number, mask_phone, sees_in_full, visible_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812345678", "138****5678"), (" 13812345678 ", "138****5678"), ("", ""), (None, ""), ("12345", "*****")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_mask_id_number():
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_id_number("11010119900307123X") == "110***********123X"
    assert mask_id_number("110101900307123") == "110********7123"  # 15-digit, first generation


def test_holder_and_sysadmin_see_in_full_everyone_else_masked(role_users):
    owner = role_users[Role.EXPERT]
    owner.mobile = "13812345678"
    assert visible_phone(owner, owner) == "13812345678"
    assert visible_phone(role_users[Role.SYSTEM_ADMIN], owner) == "13812345678"
    for role in (Role.CITY_APPLICANT, Role.PROVINCIAL_OFFICIAL, Role.MINISTRY_OFFICER, Role.AUDIT_ADMIN):
        assert visible_phone(role_users[role], owner) == "138****5678", role
    assert visible_phone(AnonymousUser(), owner) == "138****5678"
    assert visible_phone(None, owner) == "138****5678"


def test_a_model_may_name_the_roles_that_need_the_number(role_users):
    ministry, city = role_users[Role.MINISTRY_OFFICER], role_users[Role.CITY_APPLICANT]
    assert sees_in_full(ministry, city, full_roles={Role.MINISTRY_OFFICER})
    assert not sees_in_full(role_users[Role.SYSTEM_ADMIN], city, full_roles={Role.MINISTRY_OFFICER})


def test_template_filters_and_tag(role_users):
    owner = role_users[Role.EXPERT]
    owner.mobile = "13812345678"
    template = Template(
        "{% load masking_tags %}{{ n|mask_phone }}|{{ id|mask_id_number }}|{% visible_phone viewer owner %}"
    )
    context = {"n": "13912345678", "id": "110101199003071234", "owner": owner}
    city = template.render(Context({**context, "viewer": role_users[Role.CITY_APPLICANT]}))
    assert city == "139****5678|110***********1234|138****5678"
    sysadmin = template.render(Context({**context, "viewer": role_users[Role.SYSTEM_ADMIN]}))
    assert sysadmin.endswith("|13812345678")
