"""Importing experts from Excel: all or nothing, every bad row reported (SPEC §4 "Expert review")."""

import pytest

from icdc.accounts.models import Role, User
from icdc.audit.models import AuditRecord
from icdc.review import services
from icdc.review.models import Expert
from tests.review import factories
from tests.review.factories import bad_check, csv_bytes, id_number, row, xlsx

pytestmark = pytest.mark.django_db


def _import(officer, content, filename="专家.xlsx"):
    return services.expert_import(user=officer, filename=filename, content=content)


def test_a_good_file_creates_every_expert_with_an_expert_account(officer, cities):
    numbers = [id_number() for _ in range(3)]
    content = xlsx([row(name="李四", number=numbers[0]),
                    row(name="王五", number=numbers[1], city="370200", specialities="INDUSTRY"),
                    row(name="赵六", number=numbers[2], city="北京市", specialities="新型信息产品消费")])
    report = _import(officer, content)
    assert report.ok and report.applied and report.created == 3
    experts = {e.name: e for e in Expert.objects.select_related("account")}
    assert set(experts) == {"李四", "王五", "赵六"}
    assert experts["李四"].specialities == ["LIFE", "PUBLIC"]
    assert experts["王五"].city_id == "370200" and experts["赵六"].specialities == ["PRODUCT"]
    for expert in experts.values():
        assert expert.account.role == Role.EXPERT
        assert expert.account.must_change_password and not expert.account.has_usable_password()
    assert {e.id_number for e in experts.values()} == set(numbers)
    actions = list(AuditRecord.objects.filter(action__startswith="review.expert.").values_list("action", "result"))
    assert actions.count(("review.expert.create", "ok")) == 3 and ("review.expert.import", "ok") in actions


def test_a_csv_file_is_read_too(officer, cities):
    report = _import(officer, csv_bytes([row()]), filename="专家.csv")
    assert report.ok and Expert.objects.count() == 1


def test_every_bad_row_is_reported_and_nothing_is_written(officer, cities):
    taken = factories.expert(city=cities["jinan"]).id_number
    repeated = id_number()
    users_before = User.objects.count()
    rows = [
        row(name="", number=id_number()),                               # 3: missing name
        row(number=bad_check(id_number())),                             # 4: bad check character
        row(mobile="1234"),                                             # 5: bad mobile
        row(city="火星市"),                                             # 6: unknown city
        row(specialities="LIFE、烹饪"),                                  # 7: unknown speciality
        row(number=repeated),                                           # 8: first of a duplicate
        row(number=repeated),                                           # 9: duplicate in the file
        row(number=taken),                                              # 10: already in the pool
        row(),                                                          # 11: good
    ]
    report = _import(officer, xlsx(rows))
    assert not report.ok and not report.applied and report.created == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "姓名"), (4, "身份证号"), (5, "手机号码"), (6, "单位所在城市"), (7, "专业领域"),
                     (9, "身份证号"), (10, "身份证号")}
    reasons = {e.row: str(e.reason) for e in report.errors}
    assert "校验位" in reasons[4] and "第 8 行" in reasons[9] and "专家库中已有" in reasons[10]
    assert "烹饪" in reasons[7] and "火星市" in reasons[6]
    assert Expert.objects.count() == 1 and User.objects.count() == users_before
    record = AuditRecord.objects.get(action="review.expert.import")
    assert record.result == "rejected" and record.after["errors"] == 7


def test_a_file_without_the_layouts_columns_is_refused_whole(officer, cities):
    report = _import(officer, xlsx([["李四", "x"]], headers=["姓名", "备注"]))
    assert not report.ok and report.errors[0].row is None and "缺少列" in str(report.errors[0].reason)
    assert Expert.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused(officer, cities):
    report = _import(officer, b"%PDF-1.4 not a sheet", filename="专家.xlsx")
    assert not report.ok and Expert.objects.count() == 0


def test_the_template_is_a_file_the_import_reads(officer, cities):
    content, filename = services.experts_template(user=officer)
    assert filename.endswith(".xlsx")
    report = _import(officer, content)
    assert not report.ok and "没有数据行" in str(report.errors[0].reason)  # the header was found


def test_only_the_ministry_officer_imports(role_users, cities):
    from django.core.exceptions import PermissionDenied

    for role in (Role.EXPERT, Role.SYSTEM_ADMIN, Role.CITY_APPLICANT):
        with pytest.raises(PermissionDenied):
            _import(role_users[role], xlsx([row()]))
    assert Expert.objects.count() == 0


def test_an_id_number_excel_stored_as_a_number_is_explained(officer, cities):
    report = _import(officer, xlsx([row(number=110101198001011234.0)]))
    assert not report.ok and "文本格式" in str(report.errors[0].reason)
