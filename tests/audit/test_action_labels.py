"""Every action the code records has a label in ``icdc/audit/actions.py``, and every object type
it names has one too. The source is read (ast), so an action added anywhere without its label
fails here before a single record is written."""

import ast
from pathlib import Path

from django.test import override_settings
from django.utils import translation

from icdc.audit import actions

ROOT = Path(__file__).resolve().parents[2] / "icdc"
RECORDERS = {"record_event", "_append", "_prepare"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_constants():
    """NAME → string of every module-level ``NAME = "..."`` (e.g. ``PRUNE_ACTION``)."""
    found = {}
    for _path, tree in _sources():
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, set()).add(node.value.value)
    return found


def _strings(expr):
    """The strings an expression can evaluate to: a literal, or either branch of ``a if c else b``."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        return _strings(expr.body) + _strings(expr.orelse)
    return []


def _assigned(function, name):
    """The strings a function assigns to a local ``name`` (both branches of a conditional)."""
    return [s for n in ast.walk(function) if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in n.targets) for s in _strings(n.value)]


def _recorded(keyword_name):
    """(place, value) of every ``record_event(<keyword_name>=...)`` in the code; value None when
    the argument cannot be read from the source (then the test asks for a literal)."""
    constants = _module_constants()
    found = []
    for path, tree in _sources():
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name not in RECORDERS:
                continue
            for keyword in call.keywords:
                if keyword.arg != keyword_name:
                    continue
                place = f"{path.relative_to(ROOT.parent)}:{call.lineno}"
                value = keyword.value
                if isinstance(value, ast.Constant):
                    found.append((place, value.value))
                elif isinstance(value, ast.JoinedStr):
                    found.append((place, None))
                elif isinstance(value, ast.Name | ast.Attribute):
                    ident = value.id if isinstance(value, ast.Name) else value.attr
                    enclosing = [f for f in functions if f.lineno <= call.lineno <= f.end_lineno]
                    if enclosing and ident in {a.arg for a in enclosing[-1].args.kwonlyargs + enclosing[-1].args.args}:
                        continue  # passed through (record_event → _append): checked at its callers
                    strings = _assigned(enclosing[-1], ident) if enclosing else []
                    if not strings and ident not in constants:
                        found.append((place, None if keyword_name == "action" else ""))
                    for string in strings or constants.get(ident, ()):
                        found.append((place, string))
    return found


def test_the_scan_finds_the_actions_recorded_today():
    codes = {code for _place, code in _recorded("action")}
    # literal, a conditional local, and a module constant of another module
    assert {"rankings.scoring_run.create", "accounts.account.change_role", "accounts.account.update", "accounts.session.logout",
            "accounts.session.expire",
            "audit.record.prune", "audit.row.create", "audit.chain.head_rebuilt"} <= codes


def test_every_recorded_action_has_a_label():
    recorded = _recorded("action")
    unreadable = [place for place, code in recorded if code is None]
    assert unreadable == [], "pass record_event(action=...) a literal or a named constant, so its label can be checked"
    missing = sorted({f"{code} ({place})" for place, code in recorded if code and not actions.is_registered(code)})
    assert missing == [], f"add these actions and their labels to icdc/audit/actions.py: {missing}"


def test_every_recorded_object_type_has_a_label():
    types = {value for _place, value in _recorded("object_type") if value}
    assert types  # e.g. "backup", "divisions.division"
    unlabelled = sorted(t for t in types if actions.object_type_label(t) == t)
    assert unlabelled == [], f"label these object types (a model, or actions.OBJECT_TYPES): {unlabelled}"


def test_models_audited_by_the_crud_registry_have_labels():
    from icdc.audit.registry import registered_models

    for model in registered_models():
        code = model._meta.label_lower
        assert actions.object_type_label(code) != code


def test_labels_follow_the_readers_language():
    with translation.override("zh-hans"):
        assert actions.action_label("rankings.scoring_run.create") == "计算评分排名"
        assert actions.object_type_label("decisions.scoringrun") == "评分运行"
    assert actions.action_label("no.such.action") == "no.such.action"  # never a blank cell


def test_a_rename_is_one_line_and_old_records_keep_their_label(monkeypatch):
    monkeypatch.setattr(actions, "RENAMED", {"rankings.scoring_run.create": "decisions.scoringrun.create"})
    monkeypatch.setattr(actions, "ACTIONS", {**actions.ACTIONS, "decisions.scoringrun.create": "计算评分排名"})
    assert actions.action_label("rankings.scoring_run.create") == "计算评分排名"
    assert actions.codes_for("decisions.scoringrun.create") == ["decisions.scoringrun.create", "rankings.scoring_run.create"]


@override_settings(LANGUAGE_CODE="zh-hans")
def test_key_value_notes_read_as_labelled_text():
    with translation.override("zh-hans"):
        assert actions.readable_note("good.xlsx: rows=4 created=0 changed=1 unchanged=3 errors=0") == \
            "good.xlsx：行数 4，新增 0，更新 1，未变 3，错误 0"
        assert actions.readable_note("xlsx year=2022 city= rows=10") == "xlsx：年份 2022，行数 10"
        assert actions.readable_note("ranking tracks=comp") == "排名表：赛道 comp"
        assert actions.readable_note("连续 5 次登录失败") == "连续 5 次登录失败"
        assert actions.readable_note("a=b and free text") == "a=b and free text"  # never mangled


def test_every_action_is_named_app_object_event():
    """Issue 13: one naming scheme, ``<app>.<object>.<event>``, the app being a real app label."""
    from django.apps import apps

    labels = {config.label for config in apps.get_app_configs()}
    badly_named = [code for code in actions.ACTIONS
                   if code.count(".") != 2 or code.split(".")[0] not in labels]
    assert badly_named == []


def test_records_written_before_the_rename_keep_their_label_and_are_found_by_the_new_code():
    assert actions.action_label("login") == actions.action_label("accounts.session.login") == "登录成功"
    assert "login" in actions.codes_for("accounts.session.login")
    assert set(actions.RENAMED.values()) <= set(actions.ACTIONS)
