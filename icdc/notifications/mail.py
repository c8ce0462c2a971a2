"""E-mail for notifications, through Django's mail settings (files under var/mail by default,
SMTP when EMAIL_URL is set). Runs in the worker (``tasks.send_notification_emails``): a failure
is logged, never raised into anyone's request, and a notification e-mailed once is not
e-mailed again if the task runs twice."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)


def notifications_email(*, notification_ids):
    """Send one message per notification not yet e-mailed whose recipient is active and has an
    address; the number sent."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    if not pending:
        return 0
    sent = []
    try:
        with get_connection() as connection:
            for notification in pending:
                try:
                    connection.send_messages([_message(notification)])
                except Exception:  # one bad address or a refused message must not stop the others
                    logger.exception("e-mail for notification %s (account %s) failed",
                                     notification.pk, notification.recipient_id)
                else:
                    sent.append(notification.pk)
    except Exception:  # the relay is down or refuses the connection
        logger.exception("mail connection failed; %d notification e-mails not sent", len(pending) - len(sent))
    finally:
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def _message(notification):
    with translation.override(settings.LANGUAGE_CODE):
        link = f"{settings.ICDC_SITE_URL}{notification.link}" if notification.link else ""
        body = render_to_string("notifications/email.txt", {
            "notification": notification, "recipient": notification.recipient, "link": link,
            "centre": f"{settings.ICDC_SITE_URL}/notifications/",
        })
        subject = _("【信息消费示范城市建设管理平台】%(title)s") % {"title": notification.title}
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[notification.recipient.email])
