"""One confirmation step before every destructive or irreversible action (works without JavaScript).

The pattern: the button on a page is a link (GET) or a form without the confirmation field; the
view answers with a confirmation page that names what will happen and what it affects, and
carries a POST form whose ``confirm`` field tells the view to act. Cancelling is a plain link
back: nothing is posted, nothing changes. A POST without the field (an old form, a bookmarklet,
a crawler) gets the confirmation page too, never the action.

Views use either the decorator, when the whole view is the action::

    @confirm_first(lambda request, pk: Confirmation(title=..., ...))
    def version_delete(request, pk): ...

or the two functions, when the action needs a valid form first (e.g. the AHP “应用为分值”)::

    if not is_confirmed(request):
        return confirmation_page(request, Confirmation(..., carry=request.POST))
"""

from dataclasses import dataclass, field
from functools import wraps

from django.http.response import HttpResponseBase
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


@dataclass
class Confirmation:
    """What the confirmation page says.

    ``title``: the action and its object (“删除草稿版本 2024-综合”); ``summary``: what will
    happen; ``effects``: what it affects, one line each; ``button``: the confirm button's text;
    ``cancel_url``: where “取消” goes; ``carry``: POST values to send again (a form's fields).
    """

    title: str
    summary: str
    button: str
    cancel_url: str
    effects: list = field(default_factory=list)
    irreversible: bool = True
    danger: bool = True
    carry: object = None  # a QueryDict or dict of values re-posted as hidden fields

    def hidden_fields(self):
        """(name, value) pairs to re-post; never the CSRF token (the page writes its own)."""
        if not self.carry:
            return []
        items = self.carry.lists() if hasattr(self.carry, "lists") else ((k, [v]) for k, v in self.carry.items())
        return [(name, value) for name, values in items if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
                for value in values]


def is_confirmed(request):
    """True only for a POST from the confirmation page's form."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation_page(request, confirmation, *, action_url=None):
    """The confirmation page; its form posts back to ``action_url`` (default: this URL)."""
    return render(request, "includes/confirm_page.html", {
        "confirmation": confirmation, "action_url": action_url or request.get_full_path(),
        "confirm_field": CONFIRM_FIELD, "confirm_value": CONFIRM_VALUE,
    })


def confirm_first(describe):
    """Decorator: the view runs only when confirmed; otherwise the page ``describe(request, *args,
    **kwargs)`` returns (a ``Confirmation``) is shown. ``describe`` may raise Http404 as views do,
    or return a response (a redirect when there is nothing to confirm, e.g. already published)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_confirmed(request):
                described = describe(request, *args, **kwargs)
                if isinstance(described, HttpResponseBase):  # e.g. a redirect: nothing to confirm
                    return described
                return confirmation_page(request, described)
            return view(request, *args, **kwargs)

        wrapped.asks_confirmation = True  # the tests find every destructive view by this mark
        return wrapped

    return decorator
