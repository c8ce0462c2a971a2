"""消息中心 (/notifications/): an account's own notifications. Every view asks
``notifications.view_own_notifications`` (every active account); a notification is looked up
among the account's own only, so another account's id is a 404 like an id that does not exist.
Reading is not audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from icdc.accounts.decorators import permission_required, require_perm

from . import selectors, services

PAGE_SIZE = 20
OWN = "notifications.view_own_notifications"


@require_GET
@login_required
@permission_required(OWN)
def notification_list(request):
    paginator = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": "",
    })


@require_POST
@login_required
@permission_required(OWN)
def notification_open(request, pk):
    """Mark read, then follow the notification's link (or come back to the list)."""
    notification = selectors.notification_of(user=request.user, pk=pk)
    require_perm(request.user, "notifications.open_notification", notification, request)
    services.notification_mark_read(notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return redirect(link)
    return redirect("notifications:list")


@require_POST
@login_required
@permission_required(OWN)
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, ngettext("已将 %(count)d 条消息标为已读。", "已将 %(count)d 条消息标为已读。", count)
                         % {"count": count})
    return redirect("notifications:list")
