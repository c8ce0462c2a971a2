"""The scoring engine is plain Python + numpy: no Django anywhere in it (house style rule 5)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "icdc" / "scoring"
ALLOWED_THIRD_PARTY = {"numpy"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_imports_anything_but_the_standard_library_and_numpy():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        outside = imported_roots(path) - set(sys.stdlib_module_names) - ALLOWED_THIRD_PARTY
        assert not outside, f"{path.relative_to(ROOT)} imports {outside}"


def test_it_is_not_a_django_app():
    assert not (PACKAGE / "models.py").exists() and not (PACKAGE / "apps.py").exists()
    assert not (PACKAGE / "migrations").exists()


SCRIPT = """
import importlib, pkgutil, sys
import icdc.scoring as scoring
for module in pkgutil.iter_modules(scoring.__path__):
    importlib.import_module(f"icdc.scoring.{module.name}")
from icdc.scoring import CityInput, IndicatorSpec, RunParams, explain, result_bytes, score_batch
spec = IndicatorSpec(code="Q", dimension="D", kind="qualitative", weight=100)
city = CityInput(city_code="1", track="COMP", expert_scores={"E": {"Q": 70}}, defence_score=70)
result = score_batch([spec], [city], RunParams(w_material=0.5, w_defence=0.5, pass_mark=60, quotas={"COMP": 1},
                                               draws=10, calibrate=True))
explain(result, "1"); result_bytes(result)
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(leaked)
"""


def test_importing_and_running_the_engine_loads_no_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
