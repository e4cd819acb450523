from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from marm.notifications.models import Notification
from marm.notifications.selectors import notification_for, notifications_for
from marm.notifications.services import notification_open, notifications_mark_all_read


def notification_list(request):
    show = "unread" if request.GET.get("show") == "unread" else "all"
    items = notifications_for(user=request.user, unread_only=show == "unread")
    return render(request, "notifications/list.html", {"notifications": items, "show": show})


def notification_go(request, notification_id):
    """Open a notification: it becomes read, and the reader goes to what it is about."""
    try:
        notification = notification_for(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None
    notification_open(acting_user=request.user, notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    notifications_mark_all_read(acting_user=request.user)
    return redirect("notifications:list")
