from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """站内消息: one message to one account — written in the transaction of the change it
    reports (``services.notify``), e-mailed after that transaction commits."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # both indexes below start with the recipient
    )
    kind = models.CharField(_("消息类型"), max_length=64, help_text=_("如 applications.application.returned"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True, help_text=_("站内路径，如 /applications/12/"))
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the unread count in the top bar of every page
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            # the message centre, newest first
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class Reminder(models.Model):
    """提醒记录: a reminder that has gone out, by its key (e.g.
    ``batch:12:city_deadline:3d:user:7``). The unique key makes a reminder go out once,
    however often and however many schedulers run ``send_reminders``."""

    key = models.CharField(_("提醒键"), max_length=200)
    kind = models.CharField(_("消息类型"), max_length=64)
    recipient_count = models.PositiveIntegerField(_("接收人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], name="notifications_reminder_key_unique")]

    def __str__(self):
        return self.key
