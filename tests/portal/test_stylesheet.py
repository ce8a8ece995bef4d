"""The stylesheet: the US Web Design System compiled with our theme at set-up, every file it
points to served, every design-system class the templates write defined, every Kazakh
letter in the web font."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

CSS_FILE = settings.BASE_DIR / "assets" / "dist" / "css" / "portal.css"
TEMPLATES = settings.BASE_DIR / "templates"
KAZAKH = "АаӘәБбВвГгҒғДдЕеЁёЖжЗзИиЙйКкҚқЛлМмНнҢңОоӨөПпРрСсТтУуҰұҮүФфХхҺһЦцЧчШшЩщЪъЫыІіЬьЭэЮюЯя₸"


@pytest.fixture(scope="module")
def css() -> str:
    assert CSS_FILE.is_file(), "run `make install` (npm run build) first"
    return CSS_FILE.read_text()


def test_the_stylesheet_is_the_design_system_s(css):
    # Its components, not hand-written look-alikes
    for component in (".usa-button", ".usa-input", ".usa-alert", ".usa-table"):
        assert component in css
    # and nothing of the US government's identity
    for brand in ("usa-banner", "us_flag", "icon-dot-gov", "Public Sans"):
        assert brand not in css


def test_every_file_the_stylesheet_points_to_is_a_static_file(css):
    # what collectstatic's manifest needs in production, and what a browser fetches
    urls = {url for url in re.findall(r'url\("?([^")]*)"?\)', css) if url}
    assert urls
    for url in urls:
        path = url.removeprefix("../")
        assert finders.find(path), url


def test_every_design_system_class_in_the_templates_is_defined(css):
    written = set()
    for template in TEMPLATES.rglob("*.html"):
        for attribute in re.findall(r'class="([^"]*)"', template.read_text()):
            # Template logic inside the attribute: keep the literal class names
            literal = re.sub(r"\{[%{].*?[%}]\}", " ", attribute)
            written |= {name for name in literal.split() if name.startswith("usa-")}
    written -= {"usa-current"}  # a state the components style through their own rules
    assert written
    missing = sorted(name for name in written if f".{name}" not in css)
    assert missing == []


def _covered(ranges: str, codepoint: int) -> bool:
    for part in ranges.split(","):
        start, _, end = part.strip().removeprefix("U+").partition("-")
        if int(start, 16) <= codepoint <= int(end or start, 16):
            return True
    return False


def test_the_web_font_has_every_kazakh_letter_and_the_tenge_sign(css):
    faces = re.findall(r"@font-face\{([^}]*)\}", css)
    noto = [face for face in faces if "Noto Sans" in face]
    for weight in ("400", "600", "700"):
        ranges = [
            re.search(r"unicode-range:([^;}]*)", face).group(1)
            for face in noto
            if f"font-weight:{weight}" in face
        ]
        for letter in KAZAKH:
            assert any(_covered(r, ord(letter)) for r in ranges), (weight, letter)
    for face in noto:
        url = re.search(r'url\("\.\./([^"]+)"\)', face).group(1)
        assert finders.find(url), url


def test_the_previous_and_next_pages_are_linked_on_a_phone_too(css):
    # The design system hides them below its pagination breakpoint; our short form has
    # no page numbers to fall back on, so a rule outside any media query shows them.
    outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    rules = re.findall(r"\.usa-pagination__arrow\s*\{([^}]*)\}", outside_media)
    assert rules[-1].replace(" ", "").rstrip(";").endswith("display:inline-flex")
