"""What every page of the shell needs: the languages and the unread notifications."""

from django.utils.functional import SimpleLazyObject

from portal import selectors


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: only the pages whose header shows it pay its query.
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.unread_notification_count(user=user)
        )
    }
