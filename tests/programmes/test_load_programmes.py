"""``manage.py load_programmes``: both shipped files load, again without change; a loaded version never changes."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from icdc.audit.models import AuditRecord
from icdc.lib.refusals import Refusal
from icdc.programmes.definition import load_programme, programme_from_document
from icdc.programmes.models import ProgrammeDefinition
from icdc.programmes.selectors import current_programme
from icdc.programmes.services import programme_definition_load

from .helpers import DEMO, REAL, raw

pytestmark = pytest.mark.django_db


def loads(capsys, *args):
    call_command("load_programmes", *args)
    return capsys.readouterr().out


def test_both_shipped_programmes_load_once_then_are_unchanged(capsys):
    out = loads(capsys)
    assert "已载入申报项目定义 信息消费示范城市（info-consumption-demonstration-city 2019）" in out
    assert "已载入申报项目定义 新型信息消费示范项目（演示）（demo-project-call 2024-demo）" in out
    rows = {(d.code, d.version): d for d in ProgrammeDefinition.objects.all()}
    assert set(rows) == {("info-consumption-demonstration-city", "2019"), ("demo-project-call", "2024-demo")}
    real = rows["info-consumption-demonstration-city", "2019"]
    assert real.sha256 == load_programme(REAL).sha256 and real.source == REAL.name and real.title == "信息消费示范城市"
    assert real.programme.type("COMP").label == "综合型"
    assert AuditRecord.objects.filter(action="programmes.definition.load").count() == 2

    again = loads(capsys)
    assert again.count("已存在且内容相同，未作更改") == 2
    assert ProgrammeDefinition.objects.count() == 2
    assert AuditRecord.objects.filter(action="programmes.definition.load").count() == 2


def test_one_file_by_path(capsys):
    assert "demo-project-call" in loads(capsys, str(DEMO))
    assert list(ProgrammeDefinition.objects.values_list("code", flat=True)) == ["demo-project-call"]


def test_the_same_version_with_other_content_is_refused_and_nothing_changes(capsys, tmp_path):
    loads(capsys, str(REAL))
    changed = raw()
    changed["conditions"]["COMP"][0]["text"] = "改过的条件"
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="版本「2019」已载入且内容不同；已载入的版本不可更改"):
        call_command("load_programmes", str(path))
    stored = ProgrammeDefinition.objects.get()
    assert stored.programme.conditions_for("COMP")[0].text.startswith("申报城市重视发展信息消费")

    changed["version"] = "2019-b"  # a new version is how rules change
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert "已载入" in loads(capsys, str(path))
    assert current_programme().conditions_for("COMP")[0].text == "改过的条件"


def test_the_service_refuses_in_chinese_and_a_stored_row_cannot_be_rewritten():
    definition, created = programme_definition_load(programme=load_programme(REAL))
    assert created
    other = raw()
    other["title"] = "另一个名称"
    with pytest.raises(Refusal) as caught:
        programme_definition_load(programme=programme_from_document(other))
    assert caught.value.code == "programme_version_changed"
    assert programme_definition_load(programme=load_programme(REAL)) == (definition, False)
    definition.sha256 = "0" * 64
    with pytest.raises(ValueError, match="immutable"):
        definition.save()


def test_a_bad_file_is_refused_with_its_problems(capsys, tmp_path):
    bad = raw()
    bad["recommendation"]["cap"] = 0
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_programmes", str(path))
    assert "未通过校验，未作任何更改" in str(caught.value) and "推荐名额上限须为正整数" in str(caught.value)
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("load_programmes", str(tmp_path / "missing.yaml"))
    assert not ProgrammeDefinition.objects.exists()


def test_without_a_loaded_version_the_shipped_file_is_in_force():
    assert current_programme() == load_programme(REAL)
    assert current_programme("demo-project-call") == load_programme(DEMO)
    with pytest.raises(LookupError):
        current_programme("no-such-programme")
