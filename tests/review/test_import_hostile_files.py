"""The expert import goes through the one upload guard: every hostile workbook of the statistics
import (zip bombs, DTDs, huge rows, malformed XML) is refused here too, in bounded memory, with a
Chinese reason, and nothing — expert or account — is written. NUL bytes and formulas as well."""

import re
import tracemalloc

import pytest

from icdc.accounts.models import User
from icdc.review import services
from icdc.review.models import Expert
from tests.lib import hostile_files
from tests.review.factories import csv_bytes, row, xlsx

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
MEMORY_LIMIT = 100 * 1024 * 1024


@pytest.mark.parametrize("name", list(hostile_files.HOSTILE))
def test_a_hostile_workbook_is_refused_in_bounded_memory(officer, cities, name):
    users = User.objects.count()
    content = hostile_files.HOSTILE[name]()
    tracemalloc.start()
    try:
        report = services.expert_import(user=officer, filename=name, content=content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not report.ok and not report.applied and report.errors
    assert CJK.search(str(report.errors[0].reason)), report.errors[0].reason
    assert peak < MEMORY_LIMIT, f"{name}: {peak / 1e6:.0f} MB"
    assert Expert.objects.count() == 0 and User.objects.count() == users


def test_a_nul_byte_in_a_csv_cell_is_refused_and_writes_nothing(officer, cities):
    report = services.expert_import(user=officer, filename="专家.csv", content=csv_bytes([row(name="李\x00四")]))
    assert not report.ok and Expert.objects.count() == 0
    assert any("空字符" in str(e.reason) or "NUL" in str(e.reason) for e in report.errors), report.errors


def test_a_formula_is_refused_not_stored(officer, cities):
    report = services.expert_import(user=officer, filename="专家.xlsx",
                                    content=xlsx([row(employer='=HYPERLINK("http://evil","x")')]))
    assert not report.ok and Expert.objects.count() == 0
    assert any(e.column == "工作单位" for e in report.errors), report.errors
