"""``permission_required`` that audits every denial and answers in the user's language."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def deny(request, permission, obj=None, user=None):
    """Record one ``permission.denied`` audit record, then refuse (the 403 page is Chinese)."""
    from icdc.audit.services import record_event

    record_event(request=request, user=user, action="accounts.permission.deny", obj=obj, result="denied", detail=permission)
    raise PermissionDenied(permission)


def require_perm(user, permission, obj=None, request=None):
    """The service-layer check: refuse and audit unless ``user`` has ``permission`` (on ``obj``)."""
    if user is None or not user.has_perm(permission, obj):
        deny(request, permission, obj, user=user)


def permission_required(permission, get_object=None):
    """Check a rules permission (optionally on the object ``get_object(request, **kwargs)``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = get_object(request, **kwargs) if get_object else None
            if not request.user.has_perm(permission, obj):
                deny(request, permission, obj)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
