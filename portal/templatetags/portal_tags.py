"""Template tags of the shell."""

from django import template

from portal import notifications

register = template.Library()


@register.simple_tag
def rendered_notification(notification) -> tuple[str, str]:
    return notifications.render(notification)
