"""Two statistics imports at once, each in its own thread and PostgreSQL connection.

The import locks the figures it may change (``select_for_update`` in ``_apply_rows``): the second
import must see the first one's values, so each import's record of "before" is the figure as it
really was. Two imports creating the same new figures: one wins, the other writes nothing and
says so (the race branch of ``import_statistics``). The pauses are hooks on the model manager's
bulk writes, so the interleaving is forced, not left to chance.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from icdc.indicators import statistics_services
from icdc.indicators.models import StatisticFigure, StatisticsImport
from icdc.indicators.statistics_services import import_statistics
from tests.audit.conftest import postgres_only

from .helpers import csv_bytes

pytestmark = [pytest.mark.postgres, postgres_only, pytest.mark.django_db(transaction=True)]
HOLD = 1.0  # seconds the first import keeps its transaction open once the second is on its way


def _row(value):
    return ["370200", "青岛市", 2023, "D1.1", value, "亿元", "国家统计局", ""]


def _run_both(first, second):
    """Run two imports; the first pauses after its rows are written until the second has
    started to apply its own rows (plus ``HOLD``), then commits."""
    second_applying, results, errors = threading.Event(), {}, []
    real_apply = statistics_services._apply_rows

    def apply_rows(clean, user, report):
        if threading.current_thread().name == "second":
            second_applying.set()
        return real_apply(clean, user, report)

    def pause_first(real):
        def write(*args, **kwargs):
            written = real(*args, **kwargs)
            if threading.current_thread().name == "first":
                assert second_applying.wait(30)
                time.sleep(HOLD)
            return written
        return write

    manager = StatisticFigure.objects
    patched = {"bulk_create": manager.bulk_create, "bulk_update": manager.bulk_update}
    statistics_services._apply_rows = apply_rows
    for name, real in patched.items():
        setattr(manager, name, pause_first(real))
    def run(name, content, user, version):
        try:
            results[name] = import_statistics(filename=f"{name}.csv", content=content, version=version, user=user)
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=run, name="first", args=("first", *first)),
                   threading.Thread(target=run, name="second", args=("second", *second))]
        threads[0].start()
        time.sleep(0.2)  # the first import is parsing; the second starts just after
        threads[1].start()
        for thread in threads:
            thread.join(60)
    finally:
        statistics_services._apply_rows = real_apply
        for name in patched:
            delattr(manager, name)
    assert errors == []
    return results


def test_a_second_import_sees_the_first_ones_change(draft_version, officer, cities):
    StatisticFigure.objects.create(city=cities["370200"], year=2023, indicator_code="D1.1", value=1500, unit="亿元",
                                   source="nbs", entered_by=officer, entered_at=timezone.now())
    results = _run_both((csv_bytes([_row(1600)]), officer, draft_version),
                        (csv_bytes([_row(1700)]), officer, draft_version))
    assert results["first"].changed == 1 and results["second"].changed == 1
    first = StatisticsImport.objects.get(filename="first.csv")
    second = StatisticsImport.objects.get(filename="second.csv")
    # Without the row lock the second import reads 1500 while the first is still writing: its
    # "before" would be wrong and the history would skip 1600.
    assert first.before["370200/2023/D1.1"]["value"] == "1500.0000"
    assert Decimal(second.before["370200/2023/D1.1"]["value"]) == Decimal("1600")
    assert StatisticFigure.objects.get().value == Decimal("1700")


def test_two_imports_of_the_same_new_figures_one_wins_the_other_writes_nothing(draft_version, officer, cities):
    rows = [_row(1600), ["370100", "济南市", 2022, "D1.2", "6,234.5", "元", "其他", "济南市统计年鉴 2023"]]
    results = _run_both((csv_bytes(rows), officer, draft_version), (csv_bytes(rows), officer, draft_version))
    assert results["first"].applied and results["first"].created == 2
    loser = results["second"]
    assert not loser.applied and (loser.created, loser.changed, loser.unchanged) == (0, 0, 0)
    assert [e.reason for e in loser.errors] == ["其他人正在同时导入相同的数据，本次未写入，请重试"]
    assert StatisticFigure.objects.count() == 2
    assert set(StatisticFigure.objects.values_list("entered_by", flat=True)) == {officer.pk}
    assert list(StatisticsImport.objects.order_by("filename").values_list("filename", "applied")) == [
        ("first.csv", True), ("second.csv", False)]
