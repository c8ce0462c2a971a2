"""`manage.py demo_logins`: every demo account with its role, and the demo password."""

from io import StringIO

import pytest
from django.core.management import call_command

from icdc.accounts.models import Role
from tests.factories import division, make_user


def run():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_lists_demo_accounts_in_role_order_with_the_password():
    make_user(Role.AUDIT_ADMIN, username="auditor", is_demo=True)
    make_user(Role.CITY_APPLICANT, username="city_qingdao", division_obj=division("370200", "青岛市"), is_demo=True)
    make_user(Role.MINISTRY_OFFICER, username="ministry", is_demo=True)
    make_user(Role.EXPERT, username="real_expert")  # not a demo account
    output = run()
    lines = output.splitlines()
    assert "Icdc#Demo2026" in output
    assert "real_expert" not in output
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(name))
        for name in ("city_qingdao", "ministry", "auditor")
    ]
    assert order == sorted(order)
    assert "青岛市" in output and "城市申报单位" in output and "审计管理员" in output
    assert "ICDC_REQUIRE_2FA=False" in output


@pytest.mark.django_db
def test_says_when_two_factor_is_on(settings):
    settings.ICDC_REQUIRE_2FA = True
    make_user(Role.EXPERT, username="expert", is_demo=True)
    output = run()
    assert "ICDC_REQUIRE_2FA=True" in output and "生产环境不得保留演示账号" in output


@pytest.mark.django_db
def test_without_demo_accounts_it_says_how_to_load_them():
    assert "load_demo" in run()


@pytest.mark.django_db
def test_columns_line_up_with_chinese_text():
    make_user(Role.PROVINCIAL_OFFICIAL, username="province_sd", is_demo=True, display_name="山东省工业和信息化厅")
    make_user(Role.EXPERT, username="expert", is_demo=True, display_name="评审专家 张工")
    rows = [line for line in run().splitlines() if line.startswith(("province_sd", "expert"))]
    from unicodedata import east_asian_width

    def col(line, text):
        prefix = line[: line.index(text)]
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in prefix)

    assert col(rows[0], "山东省工业") == col(rows[1], "评审专家 张工")
