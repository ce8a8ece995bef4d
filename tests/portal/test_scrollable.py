"""A table wider than a phone scrolls inside its own named container, never the page."""

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load portal_tags %}" + source).render(Context(context))


def test_the_container_is_a_focusable_region_named_after_the_caption():
    html = render(
        "{% scrollable %}<table><caption>Plan &amp; actual <span>{{ year }}</span>"
        "</caption><tr><td>1</td></tr></table>{% endscrollable %}",
        year=2027,
    )
    assert html.startswith(
        '<div class="table-scroll" role="region" tabindex="0" '
        'aria-label="Plan &amp; actual 2027"><table>'
    )
    assert html.endswith("</table></div>")


def test_the_caption_cannot_break_out_of_the_label():
    html = render(
        "{% scrollable %}<table><caption>{{ name }}</caption></table>{% endscrollable %}",
        name='"><script>alert(1)</script>',
    )
    assert "<script>" not in html
    assert 'aria-label="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_a_table_without_a_caption_is_still_named_in_the_page_language():
    with translation.override("ru"):
        html = render("{% scrollable %}<table></table>{% endscrollable %}")
    assert 'aria-label="Таблица"' in html
