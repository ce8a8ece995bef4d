"""Printed sheets (fpdf2): the font and the QR code every PDF of the portal draws with, and
the notice an akimat pins to its notice board, in Kazakh and Russian on one A4 page with
a QR code to the page it announces.

The font is Noto Sans, which has every letter of the Kazakh alphabet and the tenge sign,
read at run time from node_modules (npm's @expo-google-fonts/noto-sans,
settings.QATYSU_PDF_FONTS), never committed: a clear ImproperlyConfigured when it is
missing. The QR code is segno's (pure Python), drawn as vector squares so that it prints
sharp on any printer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from portal.formats import day_text

FONT = "NotoSans"
PAGE_WIDTH, PAGE_HEIGHT = 210, 297  # A4 portrait, in millimetres
# Kazakh, the state language, first; then Russian.
NOTICE_LANGUAGES = ("kk", "ru")
NOTICE_MARGIN = 16
NOTICE_QR = 42
NOTICE_SIZES = (13, 12, 11, 10, 9)


def fonts() -> dict[str, str]:
    """The TrueType files of the sheets; ImproperlyConfigured, saying how to install
    them, when one is missing."""
    paths = settings.QATYSU_PDF_FONTS
    missing = [str(path) for path in paths.values() if not Path(path).is_file()]
    if missing:
        raise ImproperlyConfigured(
            "The PDF font is missing: "
            + ", ".join(missing)
            + ". Install the front-end packages with `npm ci` (package.json names "
            "@expo-google-fonts/noto-sans), or point QATYSU_PDF_FONTS at Noto Sans."
        )
    return {style: str(path) for style, path in paths.items()}


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF the browser shows rather than saves, named for when it is saved."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def a4(
    *,
    title: str,
    language: str,
    margin: float,
    files: dict[str, str],
    page_break: float | None = None,
    kind: type[FPDF] = FPDF,
) -> FPDF:
    """An A4 portrait document (of `kind`, FPDF or a subclass) in Noto Sans, with its
    margins, title, language and creator; pages break `page_break` millimetres above
    the foot, or never when None (a sheet that must fit one page)."""
    pdf = kind(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", files["regular"])
    pdf.add_font(FONT, "B", files["bold"])
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(page_break is not None, margin=page_break or 0)
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_creator("Qatysu")
    return pdf


def qr_modules(payload: str) -> list[list[bool]]:
    """The dark modules of the QR code of `payload`, row by row, without the quiet zone
    (the page's white margin is one)."""
    code = segno.make(payload, error="m", micro=False)
    return [
        [bool(module) for module in row] for row in code.matrix_iter(scale=1, border=0)
    ]


def qr_draw(pdf: FPDF, payload: str, *, x: float, y: float, size: float) -> None:
    """The QR code of `payload`, `size` millimetres square, its top left at (x, y): each
    run of dark modules in a row one filled rectangle."""
    modules = qr_modules(payload)
    step = size / len(modules)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(modules):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            pdf.rect(
                x + start * step,
                y + row_index * step,
                (column - start) * step,
                step,
                style="F",
            )


@dataclass(frozen=True)
class NoticeText:
    """What a notice says in one language: its heading and its lines."""

    heading: str
    lines: list[str]


def notice_pdf(*, title: str, page_url: str, say: Callable[[], NoticeText]) -> bytes:
    """A notice for the notice board: what `say` writes in Kazakh, then in Russian (it
    is called in each language), and at the foot the QR code of `page_url` with the
    address written out and the day it was printed. One page: a text too long for it
    is set in smaller type."""
    texts = {}
    for language in NOTICE_LANGUAGES:
        with translation.override(language):
            texts[language] = (
                say(),
                _("Scan the code or open the address to read more and to take part:"),
                _("Printed on %(day)s.") % {"day": day_text(timezone.localdate())},
            )
    files = fonts()
    for size in NOTICE_SIZES:
        pdf, fits = _notice(title, page_url, texts, files, size)
        if fits:
            break
    return bytes(pdf.output())


def _notice(title, page_url, texts, files, size) -> tuple[FPDF, bool]:
    pdf = a4(title=title, language="kk", margin=NOTICE_MARGIN, files=files)
    pdf.add_page()
    width = PAGE_WIDTH - 2 * NOTICE_MARGIN
    foot = PAGE_HEIGHT - NOTICE_MARGIN - NOTICE_QR
    for index, language in enumerate(NOTICE_LANGUAGES):
        text = texts[language][0]
        if index:
            pdf.ln(size * 0.4)
            pdf.set_draw_color(150, 150, 150)
            pdf.line(
                NOTICE_MARGIN, pdf.get_y(), PAGE_WIDTH - NOTICE_MARGIN, pdf.get_y()
            )
            pdf.ln(size * 0.4)
        pdf.set_font(FONT, "B", size + 7)
        pdf.multi_cell(
            width, (size + 7) * 0.48, text.heading, align="L", new_x="LMARGIN"
        )
        pdf.ln(size * 0.25)
        pdf.set_font(FONT, "", size)
        for line in text.lines:
            pdf.multi_cell(width, size * 0.5, line, align="L", new_x="LMARGIN")
            pdf.ln(size * 0.15)
    fits = pdf.get_y() <= foot - 6
    pdf.set_draw_color(150, 150, 150)
    pdf.line(NOTICE_MARGIN, foot - 4, PAGE_WIDTH - NOTICE_MARGIN, foot - 4)
    qr_draw(pdf, page_url, x=NOTICE_MARGIN, y=foot, size=NOTICE_QR)
    text_x = NOTICE_MARGIN + NOTICE_QR + 6
    text_w = PAGE_WIDTH - NOTICE_MARGIN - text_x
    pdf.set_xy(text_x, foot)
    for language in NOTICE_LANGUAGES:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(text_w, 4.2, texts[language][1], align="L", new_x="LEFT")
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(text_w, 5, page_url, align="L", new_x="LEFT")
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(
        text_w,
        4,
        " ".join(texts[language][2] for language in NOTICE_LANGUAGES),
        align="L",
    )
    return pdf, fits
