"""Background tasks of notifications (django-tasks; ``manage.py db_worker`` runs them)."""

from django_tasks import task


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the notifications ``notification_ids`` (queued by ``services.notify`` after commit)."""
    from .mail import notifications_email

    return notifications_email(notification_ids=notification_ids)


@task()
def send_reminders() -> dict:
    """Run every registered reminder provider (as ``manage.py send_reminders`` does)."""
    from .reminders import reminders_send

    return reminders_send().as_dict()
