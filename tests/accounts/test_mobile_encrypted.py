"""An account's mobile number is SM4-encrypted at rest and masked for those who don't need it
(SECURITY.md 数据保密性; 密评 GB/T 39786)."""

import pytest
from django.core import serializers
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.template import Context, Template
from django.urls import reverse

from icdc.accounts.models import Role, User
from icdc.lib import sm4
from icdc.lib.fields import matching, reencrypt_all

NUMBER = "13812345678"
OLD_KEY, NEW_KEY = "33" * 16, "22" * 16


@pytest.fixture(autouse=True)
def data_keys(settings):
    settings.ICDC_DATA_KEYS = {"t1": NEW_KEY}
    settings.ICDC_DATA_KEY_ID = "t1"
    return settings


def stored(user):
    """The column as a raw SQL SELECT shows it."""
    table, column = User._meta.db_table, User._meta.get_field("mobile").column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} WHERE id = %s",
            [user.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def expert(role_users):
    user = role_users[Role.EXPERT]
    user.mobile = NUMBER
    user.save()
    return user


def test_a_raw_select_shows_ciphertext_and_the_model_plaintext(expert):
    raw = stored(expert)
    assert raw.startswith("sm4gcm:t1:") and NUMBER not in raw
    assert User.objects.get(pk=expert.pk).mobile == NUMBER
    assert User.objects.values_list("mobile", flat=True).get(pk=expert.pk) == NUMBER


def test_no_number_is_stored_empty(role_users):
    user = role_users[Role.CITY_APPLICANT]
    assert stored(user) == "" and user.mobile == ""
    assert User.objects.filter(pk=user.pk, mobile="").exists()


def test_values_cannot_be_queried_except_through_the_blind_index(expert, role_users):
    with pytest.raises(FieldError):
        list(User.objects.filter(mobile=NUMBER))
    with pytest.raises(FieldError):
        list(User.objects.filter(mobile__contains="1381"))
    assert list(User.objects.filter(matching(User, "mobile_hash", NUMBER))) == [expert]
    assert not User.objects.filter(matching(User, "mobile_hash", "13900000000")).exists()


def test_a_tampered_row_is_refused_when_read(expert):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET mobile = %s WHERE id = %s",
                       [stored(expert)[:-6] + "AAAAA=", expert.pk])
    with pytest.raises(sm4.DecryptionError):
        User.objects.get(pk=expert.pk)


def test_rotation_keeps_old_values_readable_then_rewrites_them(settings, role_users):
    settings.ICDC_DATA_KEYS = {"t0": OLD_KEY}
    settings.ICDC_DATA_KEY_ID = "t0"
    city = role_users[Role.CITY_APPLICANT]
    city.mobile = NUMBER
    city.save()
    old_token = stored(city)
    assert old_token.startswith("sm4gcm:t0:")

    settings.ICDC_DATA_KEYS = {"t0": OLD_KEY, "t1": NEW_KEY}
    settings.ICDC_DATA_KEY_ID = "t1"
    assert User.objects.get(pk=city.pk).mobile == NUMBER  # old id still readable
    assert User.objects.filter(matching(User, "mobile_hash", NUMBER)).get() == city  # and findable

    assert reencrypt_all(User, "mobile") == 1
    assert stored(city).startswith("sm4gcm:t1:")
    assert reencrypt_all(User, "mobile") == 0  # nothing left under the old key
    settings.ICDC_DATA_KEYS = {"t1": NEW_KEY}  # the old key can now be retired
    assert User.objects.get(pk=city.pk).mobile == NUMBER
    assert User.objects.filter(matching(User, "mobile_hash", NUMBER)).get() == city


def test_legacy_plaintext_is_refused_when_read_and_encrypted_by_reencrypt_all(expert):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET mobile = %s WHERE id = %s", [NUMBER, expert.pk])
    with pytest.raises(sm4.DecryptionError):
        User.objects.get(pk=expert.pk)
    assert reencrypt_all(User, "mobile") == 1
    assert stored(expert).startswith("sm4gcm:t1:")
    assert User.objects.get(pk=expert.pk).mobile == NUMBER


def test_invalid_numbers_and_submitted_ciphertext_are_refused(expert):
    expert.mobile = "12345"
    with pytest.raises(ValidationError) as err:
        expert.full_clean()
    assert "请输入 11 位手机号码。" in err.value.message_dict["mobile"]
    expert.mobile = sm4.encrypt(NUMBER, context="accounts.user.mobile")  # decryption oracle: no
    with pytest.raises(ValidationError) as err:
        expert.full_clean()
    assert "不能直接提交加密数据。" in err.value.message_dict["mobile"]


def test_serialization_carries_ciphertext_and_loads_back(expert):
    text = serializers.serialize("json", User.objects.filter(pk=expert.pk), fields=["mobile"])
    assert NUMBER not in text and "sm4gcm:t1:" in text
    (loaded,) = serializers.deserialize("json", text)
    assert loaded.object.mobile == NUMBER


def test_sysadmin_sees_and_edits_it_in_full_on_the_account_pages(client, role_users, expert):
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    url = reverse("accounts:manage:edit", args=[expert.pk])
    assert f'value="{NUMBER}"' in client.get(url).content.decode()
    assert NUMBER in client.get(reverse("accounts:manage:detail", args=[expert.pk])).content.decode()
    data = {"display_name": "李专家", "mobile": "13987654321", "role": "expert"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    expert.refresh_from_db()
    assert expert.mobile == "13987654321" and "13987654321" not in stored(expert)


def test_a_city_user_sees_another_users_number_masked(role_users, expert):
    template = Template("{% load masking_tags %}{% visible_phone viewer owner %}")
    assert template.render(Context({"viewer": role_users[Role.CITY_APPLICANT], "owner": expert})) == "138****5678"
    assert template.render(Context({"viewer": expert, "owner": expert})) == NUMBER
