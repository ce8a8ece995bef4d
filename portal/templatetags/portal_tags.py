"""Template tags of the shell."""

import datetime
import html
import re
from decimal import Decimal

from django import template
from django.utils import formats, numberformat
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext

from portal import formats as formats_of_the_portal
from portal import notifications, status

register = template.Library()


@register.filter
def tenge(value) -> str:
    """An amount in tenge with the language's grouping: whole tenge, tiyn only if any."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return numberformat.format(
        amount,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=3,
        thousand_sep="\u00a0",
        force_grouping=True,
    )


@register.filter
def percent_of(part, whole) -> str:
    """`part` as a percentage of `whole`, one decimal in the language's format."""
    if not whole:
        return ""
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
    return formats.number_format(share, 1)


@register.simple_tag(takes_context=True)
def page_link(context, number) -> str:
    """`href="{% page_link page.next_page_number %}"`: the same page of results with every
    filter, search and order the visitor chose, at page `number`."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag
def rendered_notification(notification) -> tuple[str, str]:
    return notifications.render(notification)


@register.filter
def iso_date(value):
    """A day kept as ISO text (in an audit event's details) as a date for `|date`."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter(expects_localtime=True)
def day(value) -> str:
    """A date, or the day of a moment, as the language writes it (portal.formats)."""
    return formats_of_the_portal.day_text(value) if value else ""


@register.filter(expects_localtime=True)
def moment(value) -> str:
    """A moment to the minute as the language writes it (portal.formats)."""
    return formats_of_the_portal.moment_text(value) if value else ""


@register.filter(expects_localtime=True)
def machine_time(value) -> str:
    """A date or moment for `<time datetime>`: ISO 8601 to the second with its offset
    (HTML takes at most three digits of a second's fraction; Django's "c" writes six)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


_CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


@register.tag
def scrollable(parser, token):
    """`{% scrollable %}<table>…</table>{% endscrollable %}`: a table that, on a screen
    narrower than itself, scrolls sideways inside its own container, never the page.

    The container is a region named after the table's caption (read from what the block
    renders, so the name is never written twice) and takes the keyboard's focus, so that
    it can be scrolled without a mouse (WCAG 2.1.1).
    """
    nodelist = parser.parse(("endscrollable",))
    parser.delete_first_token()
    return ScrollableNode(nodelist)


class ScrollableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        inner = self.nodelist.render(context)
        caption = _CAPTION.search(inner)
        name = (
            " ".join(html.unescape(strip_tags(caption.group(1))).split())
            if caption
            else ""
        )
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
            name or gettext("Table"),
            inner,  # rendered by the template engine: already escaped, a SafeString
        )


@register.simple_tag
def status_tag(value, label, testid: str = ""):
    """`{% status_tag proposal.status proposal.get_status_display %}`: the status as a tag
    with its colour and icon (portal.status), the word always written."""
    tone, icon = status.look(value)
    return format_html(
        '<span class="usa-tag tag tone-{}{}"{}>{}</span>',
        tone,
        f" icon-{icon}" if icon else "",
        format_html(' data-testid="{}"', testid) if testid else "",
        label,
    )
