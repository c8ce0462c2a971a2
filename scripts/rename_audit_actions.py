"""One-off (issue 13): rename audit action codes to ``<app>.<object>.<event>`` in code and tests.

Idempotent: run it again after merging a branch written with the old codes. Dotted old codes are
replaced wherever they appear as a quoted string; the undotted ``login``/``logout`` only where they
are clearly an action (``action="login"``, an expected-actions list, the label tables).
Records already stored keep their old code: ``icdc/audit/actions.py: RENAMED`` maps them.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from icdc.audit.actions import RENAMED as RENAMES  # noqa: E402  (the one map of old names)

UNDOTTED_CONTEXTS = [
    r'(action\s*=\s*){q}{old}{q}',          # action="login"
    r'(SUCCESS\s*=\s*){q}{old}{q}',         # login_history.SUCCESS
    r'(^\s*){q}{old}{q}(\s*:\s*(?:_l|gettext_lazy)\()',  # label tables
    r'(action\s*==\s*){q}{old}{q}',
    r'(audit\(){q}{old}{q}',               # tests: audit("logout")
    r'(actions?\(\)\s*==\s*\[[^\]]*?){q}{old}{q}',
]


def rewrite(text):
    for old, new in RENAMES.items():
        if "." in old:
            text = re.sub(rf'(["\']){re.escape(old)}\1', rf'\g<1>{new}\g<1>', text)
        else:
            for pattern in UNDOTTED_CONTEXTS:
                for q in ('"', "'"):
                    rx = re.compile(pattern.format(q=q, old=re.escape(old)), re.M)
                    text = rx.sub(lambda m, q=q, old=old, new=new: m.group(0).replace(f"{q}{old}{q}", f"{q}{new}{q}"), text)
    return text


def main(paths):
    changed = []
    for root in paths:
        for path in Path(root).rglob("*.py"):
            # the map of old names and the test of records written before the rename keep the old codes
            if "migrations" in path.parts or path.name in {"rename_audit_actions.py", "actions.py",
                                                           "test_filter_audit_trail.py", "test_action_labels.py"}:
                continue
            text = path.read_text(encoding="utf-8")
            new = rewrite(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(str(path))
    print("\n".join(changed))


if __name__ == "__main__":
    main(sys.argv[1:] or ["icdc", "tests", "bench"])
