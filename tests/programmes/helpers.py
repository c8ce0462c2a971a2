"""Paths and small builders shared by the programme tests (no database)."""

from pathlib import Path
from types import SimpleNamespace

import yaml

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "data" / "programmes" / "info-consumption-demonstration-city.yaml"
DEMO = ROOT / "data" / "programmes" / "demo-project-call.yaml"


def raw(path=REAL):
    """A shipped file as plain data, to be changed by a test."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def division(code, name, *, level="prefecture", kind="地级市", parent=None, can_apply=True, applies_directly=False,
             is_application_channel=False, is_municipality=False, is_separately_planned=False):
    """A division as the pure API sees it: any object with the Division model's attributes."""
    return SimpleNamespace(code=code, name=name, level=level, kind=kind, parent=parent, can_apply=can_apply,
                           applies_directly=applies_directly, is_application_channel=is_application_channel,
                           is_municipality=is_municipality, is_separately_planned=is_separately_planned)
