"""Reminders (提醒): the registry of reminder providers and the run that sends what they find due.

A provider is a plain function of the current time that returns the reminders due now, each a
``Due``. Other apps put their providers in a module named ``reminders.py`` (found by
autodiscovery, like ``admin.py``) and register them::

    # icdc/batches/reminders.py
    from icdc.notifications import reminders

    @reminders.register
    def city_deadlines(*, now):
        for batch, days in batches_with_deadline_in(now, days=(7, 3, 1)):
            for city_user in ...:
                yield reminders.Due(
                    key=f"batch:{batch.pk}:city_deadline:{days}d:user:{city_user.pk}",
                    recipients=[city_user], kind="batches.batch.city_deadline",
                    title=..., body=..., link=...)

``reminders_send()`` (``manage.py send_reminders``, or the task ``tasks.send_reminders``) calls
every provider and hands each ``Due`` to ``services.remind_once``: the key decides that each
reminder goes out once, however often the scheduler runs and however many run at once, so a
provider may return a reminder on every run until it stops being due. One provider failing is
logged and does not stop the others.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .services import remind_once

logger = logging.getLogger(__name__)

_providers: list[Callable] = []


@dataclass(frozen=True)
class Due:
    """One reminder a provider finds due: the keyword arguments of ``remind_once``."""

    key: str
    recipients: Iterable
    kind: str
    title: str
    body: str = ""
    link: str = ""


@dataclass
class Summary:
    sent: list[str] = field(default_factory=list)  # keys that went out now
    already: int = 0  # due, but already sent (or nobody to remind yet)
    failed: list[str] = field(default_factory=list)  # providers (or keys) that raised

    def as_dict(self):
        return {"sent": len(self.sent), "already": self.already, "failed": self.failed}


def register(provider):
    """Register ``provider(*, now) -> Iterable[Due]``; usable as a decorator. Idempotent."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider):
    if provider in _providers:
        _providers.remove(provider)


def providers():
    """Every registered provider, after importing each installed app's ``reminders`` module."""
    autodiscover_modules("reminders")
    return tuple(_providers)


def reminders_send(*, now=None):
    """Ask every provider what is due at ``now`` and send each reminder once."""
    now = now or timezone.now()
    summary = Summary()
    for provider in providers():
        name = f"{provider.__module__}.{provider.__qualname__}"
        try:
            due = list(provider(now=now))
        except Exception:
            logger.exception("reminder provider %s failed", name)
            summary.failed.append(name)
            continue
        for item in due:
            try:
                went = remind_once(key=item.key, recipients=item.recipients, kind=item.kind, title=item.title,
                                   body=item.body, link=item.link)
            except Exception:
                logger.exception("reminder %s from %s failed", item.key, name)
                summary.failed.append(item.key)
                continue
            if went:
                summary.sent.append(item.key)
            else:
                summary.already += 1
    return summary
