from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """审计记录: one append-only, HMAC-SM3-chained entry of the security audit trail.

    ``mac`` = HMAC-SM3(key[key_id], previous record's mac ‖ canonical(this record)), so
    editing or deleting any row breaks the chain at that row (SECURITY.md 数据完整性).
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
    result = models.CharField(_("结果"), max_length=16, default="ok")
    detail = models.TextField(_("说明"), blank=True)
    algorithm = models.CharField(_("算法"), max_length=16, default="HMAC-SM3")
    key_id = models.CharField(_("密钥标识"), max_length=32)
    prev_mac = models.CharField(_("上一条校验值"), max_length=64)
    mac = models.CharField(_("校验值"), max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        permissions = [("view_audit_trail", _("查看和导出审计日志"))]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.actor_username}"


class AuditChainHead(models.Model):
    """The single row every writer locks, so concurrent writers queue and never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="0" * 64)
