"""Template tags of the transparency dashboard: figures written by their kind."""

from django import template

from portal.dashboard import format_figure

register = template.Library()


@register.filter
def figure(value, kind: str) -> str:
    return format_figure(value, kind)
