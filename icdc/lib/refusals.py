"""The one refusal type: how a service says "no" to a user.

Services raise ``Refusal`` with a translatable Chinese message (``gettext_lazy``) when a rule,
guard or bad input forbids what was asked; views catch it and show ``str(refusal)`` to the
user (``messages.error`` or a form error). Nothing is written when a refusal is raised: raise it
before writing, inside the service's transaction, so the rollback undoes any partial work.
Modelled on pretix's ``OrderError`` and HackSoft's ``ApplicationError``.
"""


from django.core.exceptions import ValidationError


class Refusal(ValidationError):
    """A refused action, with the message the user reads (already translated when shown).

    ``code`` names the rule for tests and the audit trail (e.g. ``"deadline_passed"``);
    ``params`` fill ``%(name)s`` placeholders of the message. A ``ValidationError`` by descent,
    so a form or a view that shows validation messages shows a refusal the same way
    (``refusal.messages``); services raise only this type.
    """

    def __init__(self, message, *, code: str = "refused", params: dict | None = None):
        super().__init__(message, code=code, params=params or None)
        self.params = params or {}

    def __str__(self):
        text = str(self.message)
        return text % self.params if self.params else text
