"""Real programme data to back up, and helpers to read and tamper with archives."""

import datetime as dt
import io
import json
import tarfile
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.utils import timezone

from icdc.accounts.models import Role
from icdc.audit.services import record_event
from icdc.backups import dataset
from tests.factories import division, make_user

MEDIA_FILES = {
    "a.txt": b"plain text\n",
    "reports/2026/\u9752\u5c9b\u5e02\u7533\u62a5\u4e66.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "empty.bin": b"",
}


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    for name, data in MEDIA_FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    settings.MEDIA_ROOT = root
    settings.VAR_DIR = tmp_path / "var"
    return root


@pytest.fixture
def programme_data(draft_version, media_root):
    """Users of every role, a group with permissions, indicators, figures, admin log and audit records."""
    from icdc.indicators.models import StatisticFigure

    users = {role: make_user(role) for role in Role}
    officer = users[Role.MINISTRY_OFFICER]
    reviewers = Group.objects.create(name="\u590d\u6838\u7ec4")
    reviewers.permissions.set(Permission.objects.filter(content_type__app_label="indicators")[:3])
    officer.groups.add(reviewers)
    officer.user_permissions.add(Permission.objects.get(codename="view_audit_trail"))
    city = division("370200", "\u9752\u5c9b\u5e02")
    StatisticFigure.objects.create(
        city=city, year=2025, indicator_code="A1", value=Decimal("12345.6789"), unit="\u4ebf\u5143",
        source="bureau", entered_by=officer, entered_at=timezone.now())
    LogEntry.objects.create(
        user=officer, content_type=ContentType.objects.get_for_model(Group), object_id=str(reviewers.pk),
        object_repr=str(reviewers), action_flag=ADDITION, change_message="[]")
    for i in range(5):
        record_event(action="test.event", user=officer, object_type="indicators.indicator", object_id=str(i),
                     before={"weight": "1.50", "when": dt.datetime(2026, 1, 2, 3, 4, 5, 678901)},
                     after={"weight": 2.25, "note": "\u6ce8\u610f \u201c\u5f15\u53f7\u201d"}, detail=f"\u4e8b\u4ef6 {i}")
    return {"users": users, "version": draft_version, "group": reviewers}


def snapshot():
    """Every backed-up table as Python data, in pk order, content types and permissions by
    natural key (their ids are the target installation's own)."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
        for model in dataset.backed_up_models()
    }


def read_members(path):
    with tarfile.open(path, "r:gz") as tar:
        return [(info.name, tar.extractfile(info).read()) for info in tar]


def manifest_of(path):
    return json.loads(dict(read_members(path))["MANIFEST.json"])


def resign(manifest):
    """Sign an edited manifest with the test backup key: what only a holder of the key could do.
    Tests of the checks behind the signature use it; a forger without the key cannot."""
    from django.conf import settings

    from icdc.backups import archive

    archive.sign_manifest(manifest, settings.ICDC_BACKUP_KEY_ID, bytes.fromhex(settings.ICDC_BACKUP_KEY))
    return json.dumps(manifest).encode()


def rewrite(path, members):
    """Write ``members`` [(name, bytes)] as the archive at ``path`` (an attacker's or a bad disk's edit)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
