"""The one registry of audit actions: code → label in the reader's language, grouped by area.

Every ``record_event(action=...)`` in the code has its label here; ``tests/audit/
test_action_labels.py`` reads the source and fails on an action without one. The audit trail
stores the code (stable, signed); pages, filters and exports show the label.

Renaming an action (issue 13: ``<app>.<object>.<event>``) is one line: change its key below
and add ``"old.code": "new.code"`` to ``RENAMED``, so records written before the rename keep
their label and the filter for the new code finds them too.

Object types are ``app_label.model_name`` of a model (labelled by its ``verbose_name``) or
one of ``OBJECT_TYPES`` (things that are not rows, e.g. a backup archive).

Notes (``AuditRecord.detail``) written as ``key=value`` words (``rows=4 created=0``) are shown
as labelled text through ``NOTE_KEYS``; other notes are shown as written.
"""

import re

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

GROUPS = (
    (_l("登录与会话"), {
        "accounts.session.login": _l("登录成功"),
        "accounts.session.login_failed": _l("登录失败"),
        "accounts.account.lock": _l("账号锁定"),
        "accounts.session.logout": _l("退出登录"),
        "accounts.session.expire": _l("会话超时退出"),
        "accounts.otp.enrol": _l("启用双因素认证"),
        "accounts.otp.enrol_fail": _l("双因素认证启用失败"),
        "accounts.otp.verify": _l("双因素认证通过"),
        "accounts.otp.verify_fail": _l("双因素认证失败"),
        "accounts.recovery_code.use": _l("使用恢复码登录"),
        "accounts.session.displace": _l("因在别处登录而结束会话"),
        "accounts.permission.deny": _l("越权访问被拒绝"),
    }),
    (_l("账号管理"), {
        "accounts.account.create": _l("创建账号"),
        "accounts.account.update": _l("修改账号"),
        "accounts.account.change_role": _l("变更账号角色"),
        "accounts.account.unlock": _l("解除账号锁定"),
        "accounts.password.change": _l("修改密码"),
        "accounts.password.reset": _l("重置密码"),
        "accounts.otp.reset": _l("重置双因素认证"),
        "accounts.otp.self_reset": _l("本人重置双因素认证"),
        "accounts.recovery_code.generate": _l("生成恢复码"),
        "accounts.account.deactivate": _l("停用账号"),
        "accounts.account.reactivate": _l("重新启用账号"),
    }),
    (_l("数据变更"), {
        "audit.row.create": _l("新增数据"),
        "audit.row.update": _l("修改数据"),
        "audit.row.delete": _l("删除数据"),
    }),
    (_l("评价指标与统计数据"), {
        "indicators.version.create": _l("新建指标体系版本"),
        "indicators.version.publish": _l("发布指标体系版本"),
        "indicators.version.lock": _l("锁定指标体系版本"),
        "indicators.version.delete": _l("删除草稿版本"),
        "indicators.version.export": _l("下载指标体系 YAML"),
        "indicators.indicator.update": _l("修改指标"),
        "indicators.weights.update": _l("调整权重"),
        "indicators.weights.derive": _l("层次分析法推导权重"),
        "indicators.statistics.import": _l("导入统计数据"),
        "indicators.statistics.export": _l("导出统计数据"),
        "indicators.statistics.correct": _l("更正统计数据"),
    }),
    (_l("年度批次"), {
        "batches.batch.create": _l("新建批次"),
        "batches.batch.update": _l("修改批次"),
        "batches.batch.open": _l("开放申报"),
        "batches.batch.close": _l("截止申报"),
        "batches.batch.start_review": _l("开始评审"),
    }),
    (_l("申报与初审"), {
        "applications.application.create": _l("创建申报"),
        "applications.section.save": _l("保存申报表内容"),
        "applications.application.submit": _l("提交省级初审"),
        "applications.application.submit_direct": _l("直接报送工信部"),
        "applications.application.return": _l("退回修改"),
        "applications.application.recommend": _l("省级推荐"),
        "applications.application.withdraw": _l("撤回申报"),
        "applications.attachment.upload": _l("上传申报附件"),
        "applications.attachment.remove": _l("移除申报附件"),
        "applications.attachment.download": _l("下载申报附件"),
        "applications.form.print": _l("生成申报表PDF"),
        "applications.recommendation_document.generate": _l("生成初审推荐文件"),
        "applications.recommendation_document.upload": _l("上传初审推荐文件"),
        "applications.recommendation_document.download": _l("下载初审推荐文件"),
        "applications.recommendation_letter.draft": _l("下载初审推荐文件草稿（Word）"),
        "applications.recommendation.rank": _l("调整省内推荐排序"),
        "applications.queue.export": _l("导出工信部申报队列"),
    }),
    (_l("专家库与回避声明"), {
        "review.expert.create": _l("录入评审专家"),
        "review.expert.update": _l("修改评审专家"),
        "review.expert.import": _l("导入评审专家"),
        "review.expert.export": _l("导出评审专家库"),
        "review.expert.declare_conflicts": _l("申报回避"),
        "review.declaration.sign": _l("签署回避声明与保密承诺"),
        "review.panel.draw": _l("随机抽取评审专家"),
        "review.panel.replace": _l("替补评审专家"),
    }),
    (_l("形式审查"), {
        "applications.application.formal_pass": _l("形式审查通过"),
        "applications.application.formal_supplement": _l("形式审查要求补充材料"),
        "applications.application.formal_reject": _l("形式审查不通过"),
        "applications.application.answer_supplement": _l("提交补充材料"),
        "review.formal_review.save": _l("保存形式审查清单"),
        "review.formal_review.export": _l("导出形式审查结果"),
    }),
    (_l("专家评分与答辩"), {
        "review.window.set": _l("设置评审时间窗口"),
        "review.window.close": _l("提前关闭评审时间窗口"),
        "review.score_sheet.save": _l("保存评分草稿"),
        "review.score_sheet.submit": _l("提交评分表"),
        "review.score_sheet.withdraw": _l("撤回被替换专家的评分草稿"),
        "review.score_sheet.set_aside": _l("被替换专家已提交的评分不计入"),
        "review.panel_opinion.write": _l("填写专家组意见"),
        "review.reminder.send": _l("催促专家评分"),
        "review.score_matrix.export": _l("导出评审组评分矩阵"),
        "review.attachment.download": _l("专家下载申报附件"),
    }),
    (_l("实地考察与答辩"), {
        "review.inspection.create": _l("决定实地考察"),
        "review.inspection.update": _l("填写实地考察意见"),
        "review.inspection.file_upload": _l("上传实地考察文件"),
        "review.inspection.file_download": _l("下载实地考察文件"),
        "review.defence.schedule": _l("安排答辩"),
        "review.defence.held": _l("答辩已举行"),
        "review.defence.no_show": _l("答辩未到场"),
        "review.defence.score": _l("提交答辩评分"),
        "review.panel.export": _l("导出评审组组成"),
        "review.defence.export": _l("导出答辩评分"),
    }),
    (_l("评分与排名"), {
        "rankings.scoring_run.create": _l("计算评分排名"),
        "rankings.scoring_run.reproduce": _l("复算核对"),
        "rankings.scoring_run.export": _l("导出排名或得分说明"),
    }),
    (_l("节假日安排与称号"), {
        "workdays.schedule.create": _l("录入年度节假日安排"),
        "workdays.schedule.update": _l("修改年度节假日安排"),
        "titles.title.load": _l("载入示范城市称号"),
        "titles.title.start_reevaluation": _l("称号启动复核"),
        "titles.title.confirm": _l("复核后保留称号"),
        "titles.title.revoke": _l("撤销称号"),
    }),
    (_l("拟定名单、公示与公告"), {
        "decisions.proposal.create": _l("拟定名单"),
        "decisions.proposal.edit": _l("调整拟定名单"),
        "decisions.proposal.submit": _l("拟定名单提交审核"),
        "decisions.proposal.send_back": _l("拟定名单退回修改"),
        "decisions.proposal.approve": _l("拟定名单审核通过"),
        "decisions.proposal.withdraw_approval": _l("撤回拟定名单审批"),
        "decisions.proposal.publish": _l("发布公示"),
        "decisions.proposal.announce": _l("发布公告"),
        "decisions.objection.file": _l("提出公示异议"),
        "decisions.objection.investigate": _l("开始调查异议"),
        "decisions.objection.note": _l("记录异议调查情况"),
        "decisions.objection.upload": _l("上传异议调查材料"),
        "decisions.objection.download": _l("下载异议材料"),
        "decisions.objection.uphold": _l("异议成立"),
        "decisions.objection.dismiss": _l("异议不成立"),
        "applications.application.select": _l("公告入选"),
        "applications.application.close_not_selected": _l("公告未入选"),
    }),
    (_l("公众服务与文书发布"), {
        "documents.document.publish": _l("发布文书"),
        "titles.certificate.issue": _l("颁发称号证书"),
    }),
    (_l("安全审计"), {
        "audit.chain.verify": _l("审计日志完整性校验"),
        "audit.record.export": _l("导出审计日志"),
        "audit.record.prune": _l("归档并清理过期审计记录"),
        "audit.chain.head_rebuilt": _l("审计链头重建"),
    }),
    (_l("系统运维"), {
        "backups.archive.create": _l("创建备份"),
        "backups.archive.restore": _l("从备份恢复"),
        "divisions.division.load": _l("载入行政区划"),
        "programmes.definition.load": _l("载入申报项目定义"),
        "keyring.data.reencrypt": _l("个人数据密钥轮换重新加密"),
    }),
)

#: Old code → current code, for records written before a rename.
RENAMED: dict[str, str] = {
    # The scoring runs moved from ``decisions`` to ``rankings`` (issue 14).
    "decisions.scoring_run.create": "rankings.scoring_run.create",
    "decisions.scoring_run.reproduce": "rankings.scoring_run.reproduce",
    "decisions.scoring_run.export": "rankings.scoring_run.export",
    "login": "accounts.session.login",
    "login.failed": "accounts.session.login_failed",
    "login.locked": "accounts.account.lock",
    "logout": "accounts.session.logout",
    "session.expired": "accounts.session.expire",
    "session.displaced": "accounts.session.displace",
    "otp.enrolled": "accounts.otp.enrol",
    "otp.enrolment_failed": "accounts.otp.enrol_fail",
    "otp.verified": "accounts.otp.verify",
    "otp.failed": "accounts.otp.verify_fail",
    "otp.recovery_code_used": "accounts.recovery_code.use",
    "permission.denied": "accounts.permission.deny",
    "account.created": "accounts.account.create",
    "account.changed": "accounts.account.update",
    "account.role_changed": "accounts.account.change_role",
    "account.unlocked": "accounts.account.unlock",
    "password.changed": "accounts.password.change",
    "password.reset": "accounts.password.reset",
    "otp.reset": "accounts.otp.reset",
    "otp.self_reset": "accounts.otp.self_reset",
    "otp.recovery_codes_generated": "accounts.recovery_code.generate",
    "account.deactivated": "accounts.account.deactivate",
    "account.reactivated": "accounts.account.reactivate",
    "data.create": "audit.row.create",
    "data.update": "audit.row.update",
    "data.delete": "audit.row.delete",
    "scoring.run": "rankings.scoring_run.create",
    "scoring.reproduce": "rankings.scoring_run.reproduce",
    "scoring.export": "rankings.scoring_run.export",
    "audit.verify": "audit.chain.verify",
    "audit.export": "audit.record.export",
    "audit.prune": "audit.record.prune",
    "audit.head_rebuilt": "audit.chain.head_rebuilt",
    "backup.create": "backups.archive.create",
    "backup.restore": "backups.archive.restore",
    "divisions.load": "divisions.division.load",
    "keys.data_reencrypted": "keyring.data.reencrypt",
}

#: Object types that are not a model row, and models whose own verbose name is not ours to set.
OBJECT_TYPES = {
    "backup": _l("备份文件"),
    "audit.auditchainhead": _l("审计链头"),
    "otp_totp.totpdevice": _l("动态口令（TOTP）设备"),
    "otp_static.staticdevice": _l("恢复码设备"),
    "otp_static.statictoken": _l("恢复码"),
}

#: Words of ``key=value`` notes and how to read them.
NOTE_KEYS = {
    "rows": _l("行数"),
    "created": _l("新增"),
    "changed": _l("更新"),
    "unchanged": _l("未变"),
    "errors": _l("错误"),
    "unmatched": _l("未匹配"),
    "year": _l("年份"),
    "city": _l("城市"),
    "track": _l("赛道"),
    "tracks": _l("赛道"),
    "reason": _l("原因"),
}

#: Leading words of such notes.
NOTE_WORDS = {
    "ranking": _l("排名表"),
    "explanation": _l("得分说明"),
}

ACTIONS = {code: label for _group, actions in GROUPS for code, label in actions.items()}


def current_code(code):
    return RENAMED.get(code, code)


def is_registered(code):
    return current_code(code) in ACTIONS


def action_label(code):
    """The label of an action code; an unknown code (e.g. from a test) reads as itself."""
    label = ACTIONS.get(current_code(code))
    return str(label) if label is not None else code


def stored_codes(*codes):
    """Every stored code that means one of ``codes`` (current names and their old names), for
    queries by action: records written before a rename keep their old code."""
    return [old for code in codes for old in codes_for(code)]


def codes_for(code):
    """The stored codes a filter for ``code`` matches: the code and every old name of it."""
    return [code, *sorted(old for old, new in RENAMED.items() if new == code)]


def action_choices():
    """(group label, [(code, label)]) for a select with one optgroup per area."""
    return [(str(group), [(code, str(label)) for code, label in actions.items()]) for group, actions in GROUPS]


#: Models that moved to another app: records written before keep the old ``app_label.model``.
MOVED_MODELS = {
    "decisions.scoringrun": "rankings.scoringrun",
    "decisions.scoringruncity": "rankings.scoringruncity",
    "decisions.reproductioncheck": "rankings.reproductioncheck",
}


def object_type_label(object_type):
    """``accounts.user`` → the model's verbose name (“用户”); unknown types read as themselves."""
    if not object_type:
        return ""
    if object_type in OBJECT_TYPES:
        return str(OBJECT_TYPES[object_type])
    object_type = MOVED_MODELS.get(object_type, object_type)
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_type_choices():
    """Every object type a record can name: the models of the platform's apps, then the others."""
    models = [m for m in apps.get_models()
              if m.__module__.startswith("icdc.") or m._meta.app_label.startswith("otp_")]
    codes = sorted({m._meta.label_lower for m in models} | set(OBJECT_TYPES))
    return [(code, object_type_label(code)) for code in codes]


_PAIR = re.compile(r"(?P<key>[A-Za-z_]+)=(?P<value>\S*)")


def readable_note(detail):
    """``good.xlsx: rows=4 created=0 city=`` → “good.xlsx：行数 4，新增 0”; other text unchanged.

    Only notes made of known ``key=value`` words (after an optional leading word) are rewritten,
    so a free-text note that happens to hold an “=” is never mangled.
    """
    if not detail or "=" not in detail:
        return detail or ""
    pairs = list(_PAIR.finditer(detail))
    if not pairs or any(m["key"] not in NOTE_KEYS for m in pairs):
        return detail
    head = detail[:pairs[0].start()].strip().rstrip(":：").strip()
    head = str(NOTE_WORDS.get(head, head))
    rest = _PAIR.sub("", detail[pairs[0].start():]).strip()
    if rest:  # words between the pairs: not a note we know how to read
        return detail
    parts = [f"{NOTE_KEYS[m['key']]} {m['value']}" for m in pairs if m["value"]]
    body = _("，").join(parts)
    return f"{head}{_('：')}{body}" if head and body else (head or body)
