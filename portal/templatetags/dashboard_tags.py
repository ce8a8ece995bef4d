"""Template tags of the transparency dashboard: figures written by their kind."""

from django import template

from portal.dashboard import format_figure, smallest_cell

register = template.Library()


@register.filter
def figure(value, kind: str) -> str:
    return format_figure(value, kind)


@register.simple_tag
def smallest_shown() -> int:
    """The smallest count of people the participation figures show."""
    return smallest_cell()
