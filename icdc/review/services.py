"""The expert pool (专家库) and the declarations (回避声明与保密承诺): every change atomic and audited.

The Ministry officer manages the pool (``review.manage_expert_pool``); each expert gets an
account of the expert role, created through ``icdc.accounts.services.create_account`` on the
platform's side (the officer is not the system administrator; the account's own audit record
names the officer through the request and the note), with a temporary password shown once and
changed at first login. Accounts created by an import get no usable password: the system
administrator issues one with the usual reset (重置密码), so no list of passwords ever exists.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icdc.accounts.decorators import require_perm
from icdc.accounts.models import Role, User
from icdc.accounts.services import create_account, temporary_password
from icdc.audit.services import record_event
from icdc.lib.fields import matching
from icdc.lib.masking import mask_id_number, mask_phone
from icdc.lib.refusals import Refusal

from . import declarations, experts_io, selectors
from .experts_io import FileRejected, ImportReport, RowError
from .idnumbers import id_number_problem, normalized
from .models import Declaration, Expert, mask_name

MANAGE = "review.manage_expert_pool"
VIEW = "review.view_expert_pool"
EDITABLE = ("name", "id_number", "mobile", "employer", "city", "title", "specialities", "is_active", "load_limit")


def snapshot(expert):
    """What the audit trail shows of an expert: personal numbers masked, never in full."""
    return {
        "name": mask_name(expert.name), "id_number": mask_id_number(expert.id_number),
        "mobile": mask_phone(expert.mobile), "employer": expert.employer, "city": expert.city_id,
        "title": expert.title, "specialities": expert.specialities, "is_active": expert.is_active,
        "load_limit": expert.load_limit,
    }


def _audit(action, *, user, expert, before=None, after=None, detail=""):
    record_event(action=action, user=user, obj=expert, object_repr=str(expert), before=before,
                 after=after if after is not None else snapshot(expert), detail=detail)


def _new_username():
    for _attempt in range(20):
        username = f"expert-{secrets.token_hex(4)}"
        if not User.objects.filter(username__iexact=username).exists():
            return username
    raise Refusal(_("未能生成专家账号名，请重试。"), code="no_username")


def _check_domains(codes):
    known = dict(selectors.domain_choices())
    unknown = [c for c in codes if c not in known]
    if not codes:
        raise Refusal(_("须选择至少一个专业领域。"), code="no_speciality")
    if unknown:
        raise Refusal(_("未知的专业领域：%(codes)s"), code="unknown_speciality", params={"codes": "、".join(unknown)})


def _check_id_number(id_number, *, exclude=None):
    problem = id_number_problem(id_number)
    if problem:
        raise Refusal(problem, code="bad_id_number")
    same = Expert.objects.filter(matching(Expert, "id_number_hash", id_number))
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise Refusal(_("专家库中已有该身份证号的专家。"), code="duplicate_id_number")


def _save(expert):
    try:
        expert.full_clean(exclude=["account"])
    except ValidationError as exc:
        raise Refusal("；".join(exc.messages), code="invalid") from exc
    try:
        with transaction.atomic():
            expert.save()
    except IntegrityError as exc:  # the same ID number saved by someone else a moment ago
        raise Refusal(_("专家库中已有该身份证号的专家。"), code="duplicate_id_number") from exc


def _create(*, user, row, password, note):
    account = create_account(
        created_by=None, username=_new_username(), role=Role.EXPERT, display_name=mask_name(row["name"]),
        mobile=row["mobile"], password=password, must_change_password=True,
        note=note + _("（由 %(user)s 在专家库录入）") % {"user": user.username},
    )
    expert = Expert(account=account, name=row["name"], id_number=row["id_number"], mobile=row["mobile"],
                    employer=row["employer"], city_id=row["city"], title=row.get("title", ""),
                    is_active=row.get("is_active", True), load_limit=row.get("load_limit") or 15)
    expert.specialities = row["specialities"]
    _save(expert)
    return expert


def expert_create(*, user, name, id_number, mobile, employer, city, title="", specialities=(), is_active=True,
                  load_limit=15):
    """Enter one expert (专家录入) with an account of the expert role; returns (expert, temporary password).

    Refused with a Chinese reason, nothing written: a bad ID number (GB 11643 check digit), an ID
    number already in the pool, an unknown speciality.
    """
    require_perm(user, MANAGE)
    id_number = normalized(id_number)
    _check_domains(list(specialities))
    password = temporary_password()
    with transaction.atomic():
        _check_id_number(id_number)
        row = {"name": name.strip(), "id_number": id_number, "mobile": mobile.strip(), "employer": employer.strip(),
               "city": getattr(city, "pk", city), "title": title.strip(), "specialities": list(specialities),
               "is_active": is_active, "load_limit": load_limit}
        expert = _create(user=user, row=row, password=password, note="review.expert.create")
        _audit("review.expert.create", user=user, expert=expert)
    return expert, password


def expert_update(*, user, expert, **changes):
    """Edit an expert (fields of ``EDITABLE``; an empty ``id_number`` keeps the one on file)."""
    require_perm(user, MANAGE)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if not changes.get("id_number"):
        changes.pop("id_number", None)
    else:
        changes["id_number"] = normalized(changes["id_number"])
    if "specialities" in changes:
        _check_domains(list(changes["specialities"]))
    with transaction.atomic():
        current = Expert.objects.select_for_update().get(pk=expert.pk)
        before = snapshot(current)
        if "id_number" in changes:
            _check_id_number(changes["id_number"], exclude=current)
        changed = []
        for name, value in changes.items():
            attr, value = ("city_id" if name == "city" else name), getattr(value, "pk", value)
            if name == "specialities":
                value = [c for c in dict.fromkeys(value) if c]
            if getattr(current, attr) != value:  # compared in full: two numbers may mask alike
                changed.append(name)
                setattr(current, attr, value)
        if not changed:
            return current
        after = snapshot(current)
        _save(current)
        _audit("review.expert.update", user=user, expert=current, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
    return current


# --- import, template, export ---------------------------------------------------------------

def _pool_id_numbers(id_numbers):
    """Which of ``id_numbers`` are already in the pool (through the blind index, never decrypting)."""
    field = Expert._meta.get_field("id_number_hash")
    by_digest = {digest: number for number in id_numbers for digest in field.candidates(number)}
    found = Expert.objects.filter(id_number_hash__in=list(by_digest)).values_list("id_number_hash", flat=True)
    return {by_digest[d] for d in found}


def _record_import(report, user, content):
    record_event(
        action="review.expert.import", user=user, result="ok" if report.ok else "rejected",
        object_type="review.expert", object_repr=report.filename[:200],
        after={"sha256": hashlib.sha256(content).hexdigest(), "size": len(content), "rows": report.rows,
               "created": report.created, "errors": len(report.errors)},
        detail=f"{report.filename}: rows={report.rows} created={report.created} errors={len(report.errors)}",
    )


def expert_import(*, user, filename, content):
    """Import experts from .xlsx/.csv; returns an ``ImportReport``.

    All or nothing, as the statistics import: every row is checked (missing name, ID number
    shape and GB 11643 check digit, mobile, unknown city, unknown speciality, the same ID number
    twice in the file or already in the pool) and if any row is bad nothing is written and the
    report lists every bad row. Each expert created gets an account of the expert role.
    """
    require_perm(user, MANAGE)
    report = ImportReport(filename=filename)
    try:
        rows = experts_io.read_rows(filename, content)
    except FileRejected as exc:
        report.errors = exc.errors
        _record_import(report, user, content)
        return report
    report.rows = len(rows)
    clean, report.errors = experts_io.check_rows(
        rows, cities=selectors.city_lookup(), domains=selectors.domain_lookup(),
        in_pool=_pool_id_numbers(experts_io.id_numbers_of(rows)))
    if report.errors:
        _record_import(report, user, content)
        return report
    try:
        with transaction.atomic():
            for row in clean:
                expert = _create(user=user, row={
                    "name": row.name, "id_number": row.id_number, "mobile": row.mobile, "employer": row.employer,
                    "city": row.city_code, "title": row.title, "specialities": list(row.specialities),
                }, password=None, note="review.expert.import")
                _audit("review.expert.create", user=user, expert=expert, detail=filename[:200])
            report.created, report.applied = len(clean), True
            _record_import(report, user, content)
    except Refusal as exc:  # someone entered one of these experts meanwhile
        report.created, report.applied = 0, False
        report.errors = [RowError(None, "", str(exc))]
        _record_import(report, user, content)
    return report


def experts_template(*, user):
    require_perm(user, MANAGE)
    return experts_io.write_template(domains=selectors.domain_choices()), _("评审专家导入模板") + ".xlsx"


def export_row(expert, labels):
    province = selectors.province_of(expert.city)
    return [expert.pk, expert.name, mask_id_number(expert.id_number), mask_phone(expert.mobile), expert.employer,
            expert.city.name, province.name, expert.title, "、".join(labels.get(c, c) for c in expert.specialities),
            _("在库") if expert.is_active else _("停用")]


def experts_export(*, user, speciality="", province="", active=None):
    """The pool as the list shows it (same filters), numbers masked; audited as an export."""
    require_perm(user, VIEW)
    labels = dict(selectors.domain_choices())
    experts = selectors.experts(speciality=speciality, province=province, active=active)
    rows = [export_row(e, labels) for e in experts.iterator(chunk_size=500)]
    record_event(action="review.expert.export", user=user, object_type="review.expert",
                 detail=f"rows={len(rows)} speciality={speciality} province={province}")
    return experts_io.write_export(rows, title=_("评审专家库")), _("评审专家库") + ".xlsx"


# --- conflicts and declarations -------------------------------------------------------------

def expert_conflicts_declare(*, user, expert, cities, employers):
    """An expert declares whom they must not review (回避): cities (divisions) and employers (text).

    The expert declares their own; the Ministry officer may record them for an expert too."""
    require_perm(user, "review.declare_conflicts", expert)
    employers = [e.strip() for e in employers if e and e.strip()]
    employers = list(dict.fromkeys(employers))
    if any(len(e) > 200 for e in employers) or len(employers) > 50:
        raise Refusal(_("回避单位最多 50 个，每个不超过 200 字。"), code="too_many_employers")
    with transaction.atomic():
        current = Expert.objects.select_for_update().get(pk=expert.pk)
        before = {"cities": sorted(current.conflict_cities.values_list("code", flat=True)),
                  "employers": current.conflict_employers}
        current.conflict_employers = employers
        current.save(update_fields=["conflict_employers", "updated_at"])
        current.conflict_cities.set(cities)
        after = {"cities": sorted(getattr(c, "pk", c) for c in cities), "employers": employers}
        record_event(action="review.expert.declare_conflicts", user=user, obj=current, object_repr=str(current),
                     before=before, after=after)
    return current


def declaration_for(*, expert, batch):
    """(text, sha256) of the declaration ``expert`` is asked to sign for ``batch``."""
    text = declarations.declaration_text(batch_title=batch.title, expert_name=expert.name)
    return text, declarations.text_sha256(text)


def declaration_sign(*, user, batch, shown_sha256, ip=None):
    """Sign the 回避声明与保密承诺 for ``batch``: the text's version and SHA-256, time and IP kept.

    ``shown_sha256`` is the fingerprint of the text the page showed: if the text changed since
    (a new version, another name), the signature is refused and the new text must be read.
    Signing twice keeps the first signature.
    """
    require_perm(user, "review.sign_declaration", batch)
    expert = selectors.expert_of(user)
    text, sha = declaration_for(expert=expert, batch=batch)
    if shown_sha256 != sha:
        raise Refusal(_("声明文本已更新，请重新阅读后再签署。"), code="text_changed")
    with transaction.atomic():
        Expert.objects.select_for_update().filter(pk=expert.pk).first()
        existing = selectors.declaration_of(expert, batch)
        if existing is not None:
            return existing
        declaration = Declaration.objects.create(expert=expert, batch=batch, text_version=declarations.VERSION,
                                                 text_sha256=sha, signed_at=timezone.now(), ip=ip)
        record_event(action="review.declaration.sign", user=user, obj=declaration, object_repr=str(declaration),
                     after={"batch": batch.pk, "text_version": declarations.VERSION, "text_sha256": sha, "ip": ip})
    return declaration
