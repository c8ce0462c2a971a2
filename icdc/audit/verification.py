"""Verifying the audit chain (数据完整性): used by ``verify_audit`` and the auditor's page.

The walk streams rows in ``seq`` order and recomputes every HMAC-SM3 with the key named
by the row's ``key_id``. Beyond the walk it checks the two ends of the chain:

- the start: seq 1 attached to the genesis mac, or (after ``prune_audit``) the first
  remaining record attached to the mac recorded by a signed ``audit.prune`` checkpoint;
- the end: the last record is the one the chain head row names, so rows cut off the end
  are noticed. Whoever can write the database could also rewrite the head row, so an
  operator who wants that case covered keeps the printed head (seq and mac) outside the
  database and passes it back with ``--anchor`` (see ``verify_audit``).
"""

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from icdc.audit.actions import stored_codes

from . import chain, keys
from .models import AuditChainHead, AuditRecord
from .services import HEAD_REBUILT_ACTION

PRUNE_ACTION = "audit.record.prune"
_COLUMNS = (*chain.SIGNED_FIELDS, "id", "mac")
#: Rows read per query while verifying; progress is reported after each batch.
BATCH = 5000


@dataclass
class Failure:
    """The first bad record (or the place where records are missing) and why."""

    reason: str
    message: str
    seq: int | None = None
    record_id: int | None = None
    occurred_at: str = ""
    action: str = ""


@dataclass
class VerifyResult:
    ok: bool
    count: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    last_mac: str = ""
    failure: Failure | None = None
    #: Records that verify but are evidence in themselves (``audit.head_rebuilt``).
    findings: list = field(default_factory=list)

    @property
    def summary(self):
        if self.ok:
            return _("共校验 %(count)d 条记录，审计日志完整性校验通过。") % {"count": self.count}
        if self.failure is not None:
            return _("审计日志完整性校验失败：%(message)s") % {"message": self.failure.message}
        return _("审计日志完整性校验发现问题：%(messages)s") % {
            "messages": "；".join(finding.message for finding in self.findings)}


def _reason_text(brk):
    return {
        chain.EDITED: _("记录内容与校验值不符（记录被修改）"),
        chain.MISSING: _("前序记录缺失（序号 %(want)s 起的记录被删除）"),
        chain.BROKEN_LINK: _("与上一条记录的链接断裂（上一条记录被替换或删除）"),
        chain.UNKNOWN_KEY: _("未知的密钥标识“%(key_id)s”"),
        chain.UNKNOWN_ALGORITHM: _("不支持的算法“%(algorithm)s”"),
    }[brk.reason] % {"want": brk.expected, "key_id": brk.row.get("key_id"), "algorithm": brk.row.get("algorithm")}


def _failure_at(row, reason, text):
    if "action" not in row:  # a row from the PostgreSQL reader: look up what names it
        row = {**row, **(AuditRecord.objects.filter(seq=row["seq"]).values("id", "occurred_at", "action").first()
                         or {"action": ""})}
    when = row.get("occurred_at")
    if isinstance(when, str):
        when = parse_datetime(when) or when
    when = timezone.localtime(when).isoformat(timespec="seconds") if hasattr(when, "tzinfo") else str(when or "")
    message = _("第 %(seq)s 号记录（ID %(id)s，%(time)s，%(action)s）：%(why)s") % {
        "seq": row["seq"], "id": row.get("id"), "time": when, "action": row["action"], "why": text}
    return Failure(reason=reason, message=message, seq=row["seq"], record_id=row.get("id"),
                   occurred_at=when, action=row["action"])


def _gap(reason, seq, text):
    return Failure(reason=reason, seq=seq, message=_("第 %(seq)s 号记录：%(why)s") % {"seq": seq, "why": text})


def _prune_anchor(before_seq):
    """The mac a signed prune checkpoint recorded for the last record it removed."""
    for after in AuditRecord.objects.filter(action__in=stored_codes(PRUNE_ACTION), result="ok").values_list("after", flat=True):
        if isinstance(after, dict) and after.get("pruned_through_seq") == before_seq:
            return after.get("last_pruned_mac")
    return None


def _start(first):
    """Where the first stored record must attach: (seq, prev_mac), or a Failure."""
    if first["seq"] == 1:
        return 1, chain.GENESIS_MAC
    anchored = _prune_anchor(first["seq"] - 1)
    if anchored is None:
        why = _("前序记录缺失（序号 1–%(last)s 不存在，且没有归档检查点）") % {"last": first["seq"] - 1}
        return _failure_at(first, chain.MISSING, why)
    return first["seq"], anchored


def _check_anchor(anchor, first_seq, head_seq):
    seq, mac = anchor
    if seq > head_seq:
        return _gap(chain.MISSING, seq, _("外部锚点记录的链头已不存在（当前链头为 %(head)s）") % {"head": head_seq})
    if first_seq is not None and seq < first_seq:
        return None  # archived by prune_audit; the archive file carries it
    stored = AuditRecord.objects.filter(seq=seq).values_list("mac", flat=True).first()
    if stored is None:
        return _gap(chain.MISSING, seq, _("外部锚点记录的记录已不存在"))
    if stored != mac:
        return _gap(chain.EDITED, seq, _("校验值与外部锚点不符"))
    return None


#: What the generic reader selects: the signed fields, id, mac, and the stored signed texts.
_READ_COLUMNS = (*_COLUMNS, "before_text", "after_text")


def _generic_sql():
    """One page of rows, columns in ``_READ_COLUMNS`` order (any database)."""
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(AuditRecord._meta.get_field(name).column) for name in _READ_COLUMNS)
    return f"SELECT {columns} FROM {table} WHERE seq > %s ORDER BY seq LIMIT %s"


_WHEN, _BEFORE, _AFTER = (_COLUMNS.index(name) for name in ("occurred_at", "before", "after"))
_SIGNED_COUNT = len(_COLUMNS)


def _sqlite_time(value):
    # SQLite keeps UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]" text (or a naive datetime, if a
    # converter is registered for the column type).
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _generic_row(values, loads=json.loads):
    """The row rebuilt in Python from its columns (the MAC input is recomputed from them); the
    stored signed texts, when there are any, must say the same as the JSON columns."""
    row = dict(zip(_COLUMNS, values[:_SIGNED_COUNT], strict=True))
    if isinstance(values[_BEFORE], str):
        row["before"] = loads(values[_BEFORE])
    if isinstance(values[_AFTER], str):
        row["after"] = loads(values[_AFTER])
    row["occurred_at"] = _sqlite_time(values[_WHEN])
    before_text, after_text = values[_SIGNED_COUNT:]
    if ((before_text is not None and before_text != chain.canonical_text_or_none(row["before"]))
            or (after_text is not None and after_text != chain.canonical_text_or_none(row["after"]))):
        row[chain.TEXT_MISMATCH] = True
    return row


#: The PostgreSQL reader: plain columns, and Python writes the canonical JSON around them
#: (``_pg_row``). ``before``/``after`` are not decoded and re-encoded (the cost that kept
#: verification at a fifth of a bare HMAC loop): the record's own ``before_text``/``after_text``
#: are the signed text of those values, and SQL checks that each JSON column holds exactly the
#: value its text says (jsonb equal to the text parsed as jsonb, compared in jsonb's own text
#: form, so even 1 against 1.0 differs). A record without the texts (written before they
#: existed) is re-encoded from its JSON column as before. Escaping of the scalar columns is
#: Python's own (``json.encoder.encode_basestring``, what ``chain.canonical`` uses), so the
#: bytes are ``chain.canonical``'s for any text (tests/audit/test_verify_fast_path.py).
_PG_SQL = """
SELECT seq, key_id, algorithm, prev_mac, mac, action, actor_id, actor_role, actor_username, detail, ip_address,
       object_id, object_repr, object_type,
       to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'), result,
       before_text, CASE WHEN before_text IS NULL THEN before::text END,
       after_text, CASE WHEN after_text IS NULL THEN after::text END,
       (before_text IS NULL OR before::text IS NOT DISTINCT FROM before_text::jsonb::text)
         AND (after_text IS NULL OR after::text IS NOT DISTINCT FROM after_text::jsonb::text)
FROM audit_auditrecord WHERE seq > %s ORDER BY seq LIMIT %s
"""


def _pg_row(values, loads=json.loads, dumps=chain.canonical_json_text, text=json.encoder.encode_basestring):
    # Only what the walk needs; id, time and action of a bad row are read when naming it.
    (seq, key_id, algorithm, prev_mac, mac, action, actor_id, actor_role, actor_username, detail, ip_address,
     object_id, object_repr, object_type, when, result, before, before_json, after, after_json, same) = values
    if before is None:
        before = "null" if before_json is None else dumps(loads(before_json))
    if after is None:
        after = "null" if after_json is None else dumps(loads(after_json))
    try:
        signed = "".join((
            '{"action":', text(action), ',"actor_id":', "null" if actor_id is None else str(actor_id),
            ',"actor_role":', text(actor_role), ',"actor_username":', text(actor_username), ',"after":', after,
            ',"algorithm":', text(algorithm), ',"before":', before, ',"detail":', text(detail),
            ',"ip_address":', text(ip_address), ',"key_id":', text(key_id), ',"object_id":', text(object_id),
            ',"object_repr":', text(object_repr), ',"object_type":', text(object_type),
            ',"occurred_at":', text(when), ',"prev_mac":', text(prev_mac), ',"result":', text(result),
            ',"seq":', str(seq), "}")).encode()
    except TypeError:  # a NULL where the schema allows none: only an edit puts it there
        signed, same = b"-", False
    row = {"seq": seq, "key_id": key_id, "algorithm": algorithm, "prev_mac": prev_mac, "mac": mac,
           chain.SIGNED_BYTES: signed}
    if not same:
        row[chain.TEXT_MISMATCH] = True
    return row


def _pages(sql, first_seq, batch):
    """Keyset pages of rows from ``first_seq`` on, each page fetched while the caller works
    through the previous one (PostgreSQL: the query runs in a helper thread on the same
    psycopg connection, which is thread-safe, so the database's time and Python's
    overlap). No upper bound in SQL: "seq > last ORDER BY seq LIMIT n" is an index range
    scan whatever the statistics say."""
    def fetch(last):
        with raw.cursor() as cursor:
            cursor.execute(sql, [last, batch])
            return cursor.fetchall()

    if connection.vendor != "postgresql":
        last = first_seq - 1
        while page := _fetch_generic(sql, last, batch):
            yield page
            last = page[-1][0]
        return
    connection.ensure_connection()
    raw = connection.connection
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-verify") as pool:
        pending = pool.submit(fetch, first_seq - 1)
        while page := pending.result():
            if len(page) == batch:
                pending = pool.submit(fetch, page[-1][0])
            else:
                pending = _NOTHING
            yield page


class _Done:
    def result(self):
        return []


_NOTHING = _Done()


def _fetch_generic(sql, last, batch):
    with connection.cursor() as cursor:
        cursor.execute(sql, [last, batch])
        return cursor.fetchall()


def _stream(first_seq, head_seq, batch, progress):
    """Rows ``first_seq``..``head_seq`` in ``seq`` order as dicts. After each page
    ``progress(rows_read)`` is called; a progress row it writes commits while the walk
    goes on (if the next page's query is in flight, psycopg runs the two one after the
    other on the connection)."""
    if connection.vendor == "postgresql":
        sql, decode = _PG_SQL, _pg_row
    else:
        sql, decode = _generic_sql(), _generic_row
    read = 0
    pages = _pages(sql, first_seq, batch)
    try:
        for page in pages:
            for values in page:
                if values[0] > head_seq:  # written after the walk began: the next run checks it
                    return
                yield decode(values)
                read += 1
            if progress is not None:
                progress(read)
    finally:
        pages.close()


def _head_rebuilt_findings(head_seq):
    """Every ``audit.head_rebuilt`` record: the head row vanished while records existed.

    Only the table owner or a superuser could have removed it (migration 0003), perhaps
    after cutting records off the end; the record verifies, but it is evidence to review.
    """
    rows = (AuditRecord.objects.filter(action__in=stored_codes(HEAD_REBUILT_ACTION), seq__lte=head_seq).order_by("seq")
            .values("seq", "id", "occurred_at", "action"))
    return [_failure_at(row, "head_rebuilt", _("链头记录曾缺失并被重建（可能有人截断了链尾后删除链头），请核查该时间前后的记录"))
            for row in rows]


def expected_count():
    """How many records ``verify_chain`` will walk (for a progress bar)."""
    head = AuditChainHead.objects.values_list("seq", flat=True).first() or 0
    first = AuditRecord.objects.order_by("seq").values_list("seq", flat=True).first()
    return 0 if first is None else max(head - first + 1, 0)


def verify_chain(*, anchor=None, batch=BATCH, progress=None) -> VerifyResult:
    """Verify the whole stored chain; stops at and names the first bad record.

    ``anchor`` is an optional (seq, mac) pair kept outside the database by the operator.
    Rows are streamed in batches, so memory stays flat however long the chain is;
    ``progress(records_checked)`` is called after each batch.
    """
    head = AuditChainHead.objects.values("seq", "mac").first()
    result = VerifyResult(ok=False)
    if head is None:
        newest = AuditRecord.objects.aggregate(m=Max("seq"))["m"]
        if newest is not None:
            result.failure = _gap(chain.MISSING, newest, _("链头记录缺失（可能有人删除链头以掩盖被截断的链尾）"))
            return result
        head = {"seq": 0, "mac": chain.GENESIS_MAC}
    first = AuditRecord.objects.filter(seq__lte=head["seq"]).order_by("seq").values(*_COLUMNS).first()
    if first is None:
        if head["seq"]:
            result.failure = _gap(chain.MISSING, head["seq"], _("全部审计记录缺失（链头记录为第 %(head)s 号）")
                                  % {"head": head["seq"]})
            return result
        return _with_anchor(result, anchor, None, 0)
    start = _start(first)
    if isinstance(start, Failure):
        result.failure = start
        return result
    walked = chain.walk(_stream(first["seq"], head["seq"], batch, progress), keys.keyring(),
                        first_seq=start[0], first_prev_mac=start[1])
    result.count, result.first_seq = walked.count, first["seq"]
    if walked.broken:
        result.failure = _failure_at(walked.broken.row, walked.broken.reason, _reason_text(walked.broken))
        return result
    last = walked.last
    result.last_seq, result.last_mac = last["seq"], last["mac"]
    if last["seq"] != head["seq"] or last["mac"] != head["mac"]:
        result.failure = _gap(chain.MISSING, last["seq"] + 1, _("链尾记录缺失（链头记录为第 %(head)s 号，实存至第 %(last)s 号）")
                              % {"head": head["seq"], "last": last["seq"]})
        return result
    newest = AuditRecord.objects.aggregate(m=Max("seq"))["m"] or 0
    fresh_head = AuditChainHead.objects.values_list("seq", flat=True).first() or 0
    if newest > fresh_head:
        result.failure = _gap(chain.BROKEN_LINK, fresh_head + 1, _("链头记录被篡改（存在链头之后的记录）"))
        return result
    result.findings = _head_rebuilt_findings(head["seq"])
    return _with_anchor(result, anchor, first["seq"], head["seq"])


def _with_anchor(result, anchor, first_seq, head_seq):
    if anchor is not None:
        result.failure = _check_anchor(anchor, first_seq, head_seq)
    result.ok = result.failure is None and not result.findings
    return result


def parse_anchor(text):
    """``SEQ:MAC`` as printed by ``verify_audit`` → (int, str)."""
    seq, _sep, mac = text.partition(":")
    if not seq.isdigit() or len(mac) != 64:
        raise ValueError(text)
    return int(seq), mac.lower()


def verify_archive(path: Path) -> VerifyResult:
    """Verify an archive written by ``prune_audit``: every mac and the links inside it.

    Where it attaches (its first ``prev_mac``) and ends (its last ``mac``) are printed so
    they can be matched with the previous archive and with the prune checkpoint record.
    """
    with Path(path).open(encoding="utf-8") as lines:
        rows = (json.loads(line) for line in lines if line.strip())
        walked = chain.walk(rows, keys.keyring())
    result = VerifyResult(ok=walked.broken is None, count=walked.count)
    if walked.broken:
        result.failure = _failure_at(walked.broken.row, walked.broken.reason, _reason_text(walked.broken))
    elif walked.last:
        result.last_seq, result.last_mac = walked.last["seq"], walked.last["mac"]
    return result
