from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit record through the ORM."""


class Result(models.TextChoices):
    """The outcomes other apps record (``record_event(result=...)``); the list filter offers these."""

    OK = "ok", _("成功")
    FAILED = "failed", _("失败")
    DENIED = "denied", _("拒绝")
    REJECTED = "rejected", _("驳回")  # e.g. a statistics file refused for its bad rows
    LOCKED = "locked", _("锁定")
    ERROR = "error", _("错误")


class AuditRecordQuerySet(models.QuerySet):
    """Reads only: bulk UPDATE and DELETE are refused (安全审计: 不可修改、不可删除).

    The retention command removes archived rows through ``_delete_archived``, which is
    deliberately not reachable from the manager.
    """

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("audit records cannot be updated")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit records cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailIsAppendOnly("audit records cannot be updated")

    def _delete_archived(self):
        """Delete rows already archived and anchored by ``retention.prune`` (nowhere else)."""
        return self._raw_delete(using=self.db)


class AuditRecord(models.Model):
    """审计记录: one append-only, HMAC-SM3-chained entry of the security audit trail.

    ``mac`` = HMAC-SM3(key[key_id], canonical(this record including prev_mac)), so editing
    or deleting any row breaks the chain at that row (SECURITY.md 数据完整性). ``prev_mac``
    is unique: two writers can never both attach to the same predecessor (no fork).
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True, db_index=True)
    actor_role = models.CharField(_("角色"), max_length=16, blank=True)
    ip_address = models.CharField(_("IP地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    #: ``before`` and ``after`` as the canonical JSON text the MAC covers (``chain.canonical_json_text``),
    #: written with the record: verification hashes these instead of decoding and re-encoding the
    #: JSON columns, and checks that the JSON columns hold the same values (``verification``).
    #: NULL when the value is None, and on records written before these columns existed.
    before_text = models.TextField(_("变更前（签名文本）"), null=True, blank=True, editable=False)
    after_text = models.TextField(_("变更后（签名文本）"), null=True, blank=True, editable=False)
    result = models.CharField(_("结果"), max_length=16, default="ok")
    detail = models.TextField(_("说明"), blank=True)
    algorithm = models.CharField(_("算法"), max_length=16, default="HMAC-SM3")
    key_id = models.CharField(_("密钥标识"), max_length=32)
    prev_mac = models.CharField(_("上一条校验值"), max_length=64, unique=True)
    mac = models.CharField(_("校验值"), max_length=64)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        permissions = [("view_audit_trail", _("查看和导出审计日志"))]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.actor_username}"

    def save(self, *args, **kwargs):
        """Insert once; a stored record is never written again."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditTrailIsAppendOnly(f"audit record #{self.seq} cannot be changed")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly(f"audit record #{self.seq} cannot be deleted")

    @property
    def role_label(self):
        from icdc.accounts.models import Role

        try:
            return Role(self.actor_role).label
        except ValueError:
            return self.actor_role

    @property
    def result_label(self):
        try:
            return Result(self.result).label
        except ValueError:
            return self.result


class AuditChainHead(models.Model):
    """The single row every writer locks, so concurrent writers queue and never fork the chain.

    It also remembers the last seq and mac, so ``verify_audit`` notices records cut off
    the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="0" * 64)


class VerificationRun(models.Model):
    """审计日志完整性校验任务: one run of the chain verification as a background task.

    The auditor starts it from the verify page; the task (``audit.tasks``) updates
    ``checked`` as it goes so the page can show progress, then stores the result here and
    appends an ``audit.verify`` record to the chain.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("校验中")
        PASSED = "passed", _("校验通过")
        FAILED = "failed", _("发现问题")
        ERROR = "error", _("无法完成")

    requested_by = models.ForeignKey("accounts.User", verbose_name=_("发起人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("发起时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    #: Last time the task reported (a run not heard from for a while was interrupted).
    touched_at = models.DateTimeField(_("最近进度时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    expected = models.BigIntegerField(_("待校验记录数"), default=0)
    checked = models.BigIntegerField(_("已校验记录数"), default=0)
    summary = models.TextField(_("结论"), blank=True)
    head_seq = models.BigIntegerField(_("链头序号"), null=True, blank=True)
    head_mac = models.CharField(_("链头校验值"), max_length=64, blank=True)
    failure_seq = models.BigIntegerField(_("问题记录序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计日志完整性校验任务")
        verbose_name_plural = _("审计日志完整性校验任务")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"verification #{self.pk} {self.status}"

    @property
    def active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        if self.status == self.Status.PASSED:
            return 100
        if not self.expected:
            return 0
        return min(100, int(self.checked * 100 / self.expected))
