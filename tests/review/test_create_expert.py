"""Entering one expert with the form: an account of the expert role, a temporary password shown once."""

import pytest
from django.urls import reverse

from icdc.accounts.models import Role
from icdc.audit.models import AuditRecord
from icdc.review.models import Expert
from tests.review import factories
from tests.review.factories import bad_check, id_number

pytestmark = pytest.mark.django_db


def _form(cities, **overrides):
    data = {"name": "孙七", "id_number": id_number(), "mobile": "13700002222", "employer": "山东大学",
            "city": cities["jinan"].pk, "title": "教授", "specialities": ["LIFE", "INDUSTRY"], "load_limit": 12,
            "is_active": "on"}
    return {**data, **overrides}


def test_the_officer_enters_an_expert_and_gets_an_expert_account(officer_client, cities):
    data = _form(cities)
    response = officer_client.post(reverse("experts:new"), data)
    assert response.status_code == 200
    expert = Expert.objects.select_related("account").get()
    assert (expert.name, expert.id_number, expert.mobile) == ("孙七", data["id_number"], "13700002222")
    assert expert.specialities == ["LIFE", "INDUSTRY"] and expert.load_limit == 12 and expert.is_active
    account = expert.account
    assert account.role == Role.EXPERT and account.must_change_password and account.is_active
    shown = response.content.decode()
    password = shown.split('data-testid="temporary-password">')[1].split("<")[0]
    assert account.check_password(password)  # the password shown is the account's, shown once
    assert account.display_name == "孙*"  # the account's plain name column never holds the full name
    record = AuditRecord.objects.get(action="review.expert.create")
    assert record.after["id_number"].startswith("110") and "*" in record.after["id_number"]
    assert data["id_number"] not in str(record.after) and "13700002222" not in str(record.after)
    assert AuditRecord.objects.filter(action="accounts.account.create", object_id=str(account.pk)).exists()


def test_a_bad_check_digit_is_refused_in_chinese_and_nothing_is_written(officer_client, cities):
    response = officer_client.post(reverse("experts:new"), _form(cities, id_number=bad_check(id_number())))
    assert "校验位不正确" in response.content.decode()
    assert not Expert.objects.exists()


def test_the_same_person_twice_is_refused(officer_client, cities):
    existing = factories.expert(city=cities["qingdao"])
    response = officer_client.post(reverse("experts:new"), _form(cities, id_number=existing.id_number))
    assert "专家库中已有该身份证号" in response.content.decode()
    assert Expert.objects.count() == 1


def test_an_edit_is_audited_with_the_changed_fields_masked(officer_client, cities):
    expert = factories.expert(city=cities["qingdao"])
    number = expert.id_number
    data = _form(cities, name=expert.name, id_number="", mobile="13911112222", employer="青岛大学",
                 city=cities["qingdao"].pk, specialities=["LIFE"], is_active="")
    response = officer_client.post(reverse("experts:edit", args=[expert.pk]), data)
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.id_number == number  # left blank: unchanged
    assert expert.mobile == "13911112222" and not expert.is_active
    record = AuditRecord.objects.get(action="review.expert.update")
    assert record.before["mobile"] == "138****5678" and record.after["mobile"] == "139****2222"
    assert set(record.after) == {"mobile", "is_active", "title", "load_limit"}


def test_a_new_id_number_that_masks_alike_is_still_saved_and_audited(officer, cities):
    from icdc.lib.masking import mask_id_number
    from icdc.review import services

    expert = factories.expert(city=cities["qingdao"], number=id_number(5, birth="19800101"))
    other = next(n for n in (id_number(5, birth=f"19{y}0101") for y in range(81, 100))
                 if n[-4:] == expert.id_number[-4:])  # another birth date, the same last four
    assert mask_id_number(other) == mask_id_number(expert.id_number)
    services.expert_update(user=officer, expert=expert, id_number=other)
    expert.refresh_from_db()
    assert expert.id_number == other
    record = AuditRecord.objects.get(action="review.expert.update")
    assert list(record.after) == ["id_number"]
