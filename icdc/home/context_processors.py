from functools import cache

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": menu_for(user) if user is not None else [],
        "unread_notifications": _unread_count(user),
    }


def _unread_count(user):
    """The top bar's unread count: one indexed query, made only when a page shows the count and
    only for a logged-in account (an anonymous page makes none)."""
    if user is None or not user.is_authenticated:
        return 0

    @cache
    def count():
        from icdc.notifications.selectors import unread_count

        return unread_count(user=user)

    return count
