"""Notifications (消息通知): tell people what happened, in the platform and by e-mail.

The API other apps use (keyword-only arguments):

``notify(*, recipients, kind, title, body="", link="", obj=None) -> list[Notification]``
    Call it **inside the transaction of the change it reports**, after the change, from the
    service that makes the change (it refuses to run outside ``transaction.atomic``)::

        with transaction.atomic():
            application = lock_and_change(...)
            record_event(action="applications.application.return", ...)
            notify(recipients=users_of_division(application.city, Role.CITY_APPLICANT),
                   kind="applications.application.returned",
                   title=format_lazy(_("{city}的申报被退回"), city=application.city.name),
                   link=reverse("applications:detail", args=[application.pk]), obj=application)

    - ``recipients``: users or a queryset (``selectors.users_of_division(division, role)``,
      ``selectors.ministry_officers()``); inactive accounts and duplicates are dropped.
    - ``kind``: a code naming the event, ``<app>.<object>.<event>`` like audit actions.
    - ``title`` (≤ 200 characters, longer is cut), ``body``: plain text. Pass ``gettext_lazy`` /
      ``format_lazy`` strings: they are rendered in the platform's language (Chinese), not in the
      language of whoever caused the event.
    - ``link``: a path inside the platform (``/applications/12/``) or ""; anything else is a
      programming error (``ValueError``), so a message can never send anyone off-site.
    - ``obj``: the object concerned (stored as ``object_type`` ``app.model`` and ``object_id``).

    The rows are written in the caller's transaction, so they exist exactly when the change
    does: a rolled-back change notifies no one. When the transaction commits,
    ``transaction.on_commit`` enqueues ONE django-tasks task
    (``tasks.send_notification_emails``) that e-mails every recipient with an address. A task
    queue or mail relay that is down is logged and never fails the user's request.

``remind_once(*, key, recipients, kind, title, body="", link="") -> bool``
    ``notify`` once per ``key`` (e.g. ``"batch:12:city_deadline:3d:user:7"``), however often
    and however many schedulers call it: a ``Reminder`` row with a unique key is created in the
    same transaction as the notifications (``get_or_create``; a concurrent second caller waits
    on the key and then finds it). True if it went out now. With no active recipient nothing is
    recorded, so a later run can still reach an account created in the meantime. It opens its
    own transaction (a savepoint inside the caller's, if any).

Reminder providers (deadlines and the like) register in ``icdc.notifications.reminders``;
``manage.py send_reminders`` (or the task of the same name) runs them all.

Reading notifications is not audited (the events they report are); marking read is the
recipient's own business.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification, Reminder

logger = logging.getLogger(__name__)

TITLE_MAX = Notification._meta.get_field("title").max_length
LINK_MAX = Notification._meta.get_field("link").max_length
KEY_MAX = Reminder._meta.get_field("key").max_length


def notify(*, recipients, kind, title, body="", link="", obj=None):
    """Write one notification per active recipient in the caller's transaction and, once it
    commits, queue one task that e-mails them (SPEC §4: every transition notifies the people
    concerned)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() must be called inside the transaction of the change it reports")
    people = _active_unique(recipients)
    if not people:
        return []
    _check_link(link)
    if not kind or len(kind) > Notification._meta.get_field("kind").max_length:
        raise ValueError(f"notification kind {kind!r} must be a short code")
    with translation.override(settings.LANGUAGE_CODE):
        title, body = str(title), str(body)
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    object_type = f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(recipient=person, kind=kind, title=title, body=body, link=link, object_type=object_type,
                     object_id=object_id, created_at=now)
        for person in people
    )
    to_mail = [row.pk for row, person in zip(rows, people, strict=True) if person.email]
    if to_mail:
        transaction.on_commit(partial(_enqueue_emails, to_mail))
    return rows


def remind_once(*, key, recipients, kind, title, body="", link=""):
    """``notify`` once per ``key``: True if the reminder went out now, False if it had already
    gone out (or there is nobody to remind yet). Deadlines (SPEC §4) and annual reports
    (Art. 18) are reminded this way; the ``Reminder`` rows are the record that a city was
    reminded before its report is flagged as not filed (Art. 20(4))."""
    if not key or len(key) > KEY_MAX:
        raise ValueError(f"reminder key must be 1–{KEY_MAX} characters: {key!r}")
    people = _active_unique(recipients)
    if not people:
        return False
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(
            key=key, defaults={"kind": kind, "recipient_count": len(people)}
        )
        if created:
            notify(recipients=people, kind=kind, title=title, body=body, link=link)
    return created


def notification_mark_read(*, notification):
    """The recipient has opened it (idempotent: the first reading time stays)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user):
    """Mark every unread notification of ``user`` read; the number marked."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def _active_unique(recipients):
    people = {}
    for person in recipients or ():
        if person is not None and person.is_active and person.pk not in people:
            people[person.pk] = person
    return [people[pk] for pk in sorted(people)]


def _check_link(link):
    if not link:
        return
    if (not isinstance(link, str) or len(link) > LINK_MAX or not link.startswith("/") or link.startswith("//")
            or "\\" in link or any(ch.isspace() or ord(ch) < 32 for ch in link)):
        raise ValueError(f"notification link must be a path inside the platform: {link!r}")


def _enqueue_emails(notification_ids):
    """After commit: one task for the whole batch. Never raises into the request that committed."""
    from .tasks import send_notification_emails

    try:
        send_notification_emails.enqueue(notification_ids)
    except Exception:  # the notifications are saved; only their e-mail is lost, and said so
        logger.exception("could not queue e-mail for notifications %s", notification_ids)
