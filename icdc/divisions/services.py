"""Loading the reference divisions into the database (行政区划基础数据载入).

Divisions are reference data: Art. 5 and 9 of the measures decide who may apply and who
applies directly by the kind of city, so the table must match the shipped data file
exactly, and reloading must never break an account or application bound to a division.
"""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from icdc.audit.services import record_event

from .datafile import DATA_FILE, FIELDS, read_division_data
from .models import Division

# Model attribute for each data-file field ("parent" holds a code, i.e. parent_id).
ATTRS = {field: ("parent_id" if field == "parent" else field) for field in FIELDS if field != "code"}
# What a division no longer in the data file loses: it stays for history, but no one
# may apply as it or through it.
RETIRED_FLAGS = ("can_apply", "applies_directly", "is_application_channel")


@dataclass(frozen=True)
class LoadResult:
    source: str
    created: int
    updated: int
    unchanged: int
    retired: int
    deleted: int
    total: int

    def summary(self):
        return _(
            "行政区划载入完成（数据来源 %(source)s）：新增 %(created)d 条，更新 %(updated)d 条，"
            "未变 %(unchanged)d 条，停用 %(retired)d 条，删除 %(deleted)d 条；现有 %(total)d 条。"
        ) % asdict(self)


def load_divisions(*, path=DATA_FILE, user=None):
    """Make the Division table equal to the data file, in one transaction, and audit it once.

    New rows are created and changed rows updated in bulk (a full load is a few queries),
    so no per-row audit signal fires; the one ``divisions.load`` record carries the counts
    and which codes changed how. Rows no longer in the file are deleted only when nothing
    refers to them; otherwise they are kept and lose the right to apply, so bound accounts
    and past applications keep their division.
    """
    data = read_division_data(path)
    with transaction.atomic():
        existing = {d.code: d for d in Division.objects.select_for_update()}
        created = _create_missing(data.rows, existing)
        updated, unchanged = _update_changed(data.rows, existing)
        retired, deleted = _retire_stale(set(existing) - {row["code"] for row in data.rows}, existing)
        result = LoadResult(source=data.source, created=len(created), updated=len(updated), unchanged=unchanged,
                            retired=len(retired), deleted=len(deleted), total=Division.objects.count())
        record_event(
            action="divisions.division.load", user=user, object_type="divisions.division", detail=result.summary(),
            before={"updated": {code: old for code, (old, _new) in updated.items()}},
            after={"counts": asdict(result), "created": created, "retired": retired, "deleted": deleted,
                   "updated": {code: new for code, (_old, new) in updated.items()}},
        )
    return result


def _create_missing(rows, existing):
    """Insert the new rows; sorted by code, so a province goes in before its cities."""
    new = [Division(code=row["code"], **{ATTRS[f]: row[f] for f in ATTRS})
           for row in sorted(rows, key=lambda r: r["code"]) if row["code"] not in existing]
    Division.objects.bulk_create(new, batch_size=500)
    return [d.code for d in new]


def _update_changed(rows, existing):
    """Update rows that differ from the file; return {code: (old fields, new fields)} and the rest's count."""
    changes, changed, unchanged = {}, [], 0
    for row in rows:
        division = existing.get(row["code"])
        if division is None:
            continue
        wanted = {attr: row[field] for field, attr in ATTRS.items()}
        diff = {attr: value for attr, value in wanted.items() if getattr(division, attr) != value}
        if not diff:
            unchanged += 1
            continue
        changes[division.code] = ({attr: getattr(division, attr) for attr in diff}, diff)
        for attr, value in diff.items():
            setattr(division, attr, value)
        changed.append(division)
    Division.objects.bulk_update(changed, fields=list(ATTRS), batch_size=500)
    return changes, unchanged


def _retire_stale(stale, existing):
    """Delete unreferenced stale rows (cities before provinces); retire the referenced ones."""
    keep = _still_needed(stale, existing)
    retire = [existing[code] for code in sorted(keep) if any(getattr(existing[code], f) for f in RETIRED_FLAGS)]
    for division in retire:
        for flag in RETIRED_FLAGS:
            setattr(division, flag, False)
    Division.objects.bulk_update(retire, fields=list(RETIRED_FLAGS))
    deletable = sorted(stale - keep)
    for level in (Division.Level.PREFECTURE, Division.Level.PROVINCE):
        Division.objects.filter(code__in=deletable, level=level).delete()
    return [d.code for d in retire], deletable


def _still_needed(stale, existing):
    """Stale codes something else points at, plus the (stale) provinces of those kept."""
    keep = _referenced_from_outside(stale)
    frontier = keep
    while frontier:
        frontier = {existing[c].parent_id for c in frontier if existing[c].parent_id in stale} - keep
        keep |= frontier
    return keep


def _referenced_from_outside(codes):
    """Codes referenced by any foreign key or many-to-many to Division, whatever app owns it.

    Asked of Django's relation registry rather than a list, so an app that adds a foreign
    key later (even with CASCADE) is protected without touching this module.
    """
    if not codes:
        return set()
    referenced = set()
    for rel in Division._meta.related_objects:
        qs = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": codes})
        if rel.related_model is Division:
            qs = qs.exclude(code__in=codes)  # stale children are judged themselves
        referenced |= set(qs.values_list(rel.field.name, flat=True))
    return referenced & set(codes)
