"""The citizen's budget on one A4 portrait page, for the notice board of the akimat: the
unit, the year and which version the figures come from, the total and how much per
resident, own revenue against the district's transfers, what the money is for by
functional group in plain words, the residents' projects, and a QR code to the page.

Written with fpdf2, not WeasyPrint: fpdf2 is pure Python (pinned in requirements.txt with
fontTools and Pillow), so the portal installs and runs on a fresh Debian machine with pip
alone, where WeasyPrint needs the system's Pango; the residents' vote's protocol
(votes.protocol) is written with it too. The font is Noto Sans, every letter of the
Kazakh alphabet and the tenge sign, read at run time from node_modules (npm's
@expo-google-fonts/noto-sans, settings.QATYSU_PDF_FONTS), never committed: a clear
ImproperlyConfigured when it is missing. The QR code is segno's (pure Python), drawn as
vector squares so that it prints sharp on any printer.

One page whatever the data: the sheet is drawn with the fullest layout first, then with
smaller type, fewer names per group and the smallest groups summed as "everything
else", until it fits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from budgets.selectors.citizen import CitizenBudget, SpendingGroup
from portal.formats import day_text
from portal.printed import FONT, PAGE_HEIGHT, PAGE_WIDTH, a4, fonts, qr_draw
from portal.templatetags.portal_tags import tenge

LANGUAGES = ("kk", "ru", "en")
MARGIN = 12
QR_SIZE = 34
FOOTER = QR_SIZE + 4  # the band at the foot of the page with the QR code
WIDTH = PAGE_WIDTH - 2 * MARGIN
# The columns of the tables: what for, ₸, share, ₸ per resident.
AMOUNT_W, SHARE_W, RESIDENT_W = 32, 15, 27
NAME_W = WIDTH - AMOUNT_W - SHARE_W - RESIDENT_W
INK, MUTED, RULE = (20, 20, 20), (90, 90, 90), (170, 170, 170)


@dataclass(frozen=True)
class Layout:
    """How much the sheet says: the body's type size, the groups shown (None: all; else
    the largest, the rest summed), the plain names per group, the projects listed, and
    the longest text of a cell (None: whole)."""

    size: float
    groups: int | None
    names: int | None
    projects: int
    chars: int | None


LAYOUTS = (
    Layout(size=10, groups=None, names=None, projects=10, chars=None),
    Layout(size=9, groups=None, names=None, projects=8, chars=None),
    Layout(size=8, groups=10, names=4, projects=6, chars=160),
    Layout(size=7.5, groups=7, names=3, projects=4, chars=110),
    Layout(size=7, groups=5, names=2, projects=3, chars=70),
)


def citizen_pdf(budget: CitizenBudget, *, page_url: str, language: str) -> bytes:
    """The sheet in `language` (kk, ru or en), its QR code encoding `page_url`, the
    absolute address of the citizen's budget page."""
    files = fonts()
    with translation.override(language):
        for layout in LAYOUTS:
            pdf, fits = _sheet(budget, page_url=page_url, layout=layout, files=files)
            if fits:
                break
        return bytes(pdf.output())


class _Sheet(FPDF):
    def text_block(self, width, text, *, size, style="", color=INK, height=None):
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(
            width,
            height or size * 0.45,
            text,
            align="L",
            new_x="LEFT",
            new_y="NEXT",
        )

    def rule(self) -> None:
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y(), PAGE_WIDTH - MARGIN, self.get_y())


def _cut(text: str, chars: int | None) -> str:
    if chars is None or len(text) <= chars:
        return text
    return text[: chars - 1].rstrip() + "…"


def _percent(share) -> str:
    return "" if share is None else f"{formats.number_format(share, 1)}%"


def _money(amount) -> str:
    return f"{tenge(amount)} ₸"


def _sheet(budget, *, page_url, layout, files) -> tuple[FPDF, bool]:
    """The sheet drawn with `layout`, and whether it fits above the QR code's band."""
    unit = budget.unit
    title = _("The budget of %(unit)s for %(year)s in plain words") % {
        "unit": unit.name,
        "year": budget.cycle.fiscal_year,
    }
    # Never a second page: a layout that does not fit is dropped for a smaller one.
    pdf = a4(
        title=title,
        language=translation.get_language(),
        margin=MARGIN,
        files=files,
        kind=_Sheet,
    )
    pdf.add_page()
    size = layout.size
    pdf.text_block(WIDTH, _cut(title, 160), size=size + 5, style="B")
    pdf.text_block(
        WIDTH,
        _("KATO %(kato)s") % {"kato": unit.kato_code} + " · " + budget.status_text,
        size=size,
        color=MUTED,
    )
    pdf.ln(2)
    _key_figures(pdf, budget, size)
    _revenue(pdf, budget, layout)
    _spending(pdf, budget, layout)
    _projects(pdf, budget, layout)
    fits = pdf.get_y() <= PAGE_HEIGHT - MARGIN - FOOTER
    _footer(pdf, budget, page_url, size)
    return pdf, fits


def _key_figures(pdf: _Sheet, budget: CitizenBudget, size: float) -> None:
    if budget.per_resident is not None:
        resident = _money(budget.per_resident)
        resident_note = _("%(count)s residents (%(year)s)") % {
            "count": tenge(budget.population),
            "year": budget.population_year,
        }
    else:
        resident = "—"
        resident_note = _("The population is not known.")
    boxes = [
        (_("The budget spends"), _money(budget.expenditure), ""),
        (_("Per resident"), resident, resident_note),
        (
            _("From the district"),
            _percent(budget.transfer_share) or "—",
            _("of the revenue"),
        ),
    ]
    width = WIDTH / len(boxes)
    top = pdf.get_y()
    bottom = top
    for index, (label, value, note) in enumerate(boxes):
        pdf.set_xy(MARGIN + index * width, top)
        pdf.text_block(width - 2, label, size=size - 1, color=MUTED)
        pdf.text_block(width - 2, value, size=size + 4, style="B")
        if note:
            pdf.text_block(width - 2, note, size=size - 1.5, color=MUTED)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(MARGIN, bottom + 2)


def _heading(pdf: _Sheet, text: str, size: float) -> None:
    pdf.ln(1)
    pdf.text_block(WIDTH, text, size=size + 2, style="B")
    pdf.ln(0.5)


def _head_row(pdf: _Sheet, first: str, size: float, *, per_resident: bool) -> None:
    labels = [
        (NAME_W, first, "L"),
        (AMOUNT_W, "₸", "R"),
        (SHARE_W, _("share"), "R"),
    ]
    if per_resident:
        labels.append((RESIDENT_W, _("₸ per resident"), "R"))
    pdf.set_font(FONT, "B", size - 1)
    pdf.set_text_color(*MUTED)
    for width, text, align in labels:
        pdf.cell(width, size * 0.5, text, align=align)
    pdf.ln(size * 0.5)
    pdf.rule()


def _row(
    pdf: _Sheet,
    *,
    name: str,
    detail: str,
    figures: list[str],
    size: float,
    bold: bool = False,
) -> None:
    top = pdf.get_y()
    pdf.set_xy(MARGIN, top + 0.6)
    pdf.text_block(NAME_W - 2, name, size=size, style="B" if bold else "")
    if detail:
        pdf.text_block(NAME_W - 2, detail, size=size - 1.5, color=MUTED)
    bottom = pdf.get_y()
    x = MARGIN + NAME_W
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*INK)
    for width, text in zip((AMOUNT_W, SHARE_W, RESIDENT_W), figures, strict=False):
        pdf.set_xy(x, top + 0.6)
        pdf.cell(width, size * 0.45, text, align="R")
        x += width
    pdf.set_xy(MARGIN, max(bottom, top + size * 0.45 + 0.6) + 0.6)
    pdf.rule()


def _names(names: list[str], layout: Layout) -> str:
    shown = names if layout.names is None else names[: layout.names]
    text = "; ".join(shown)
    if len(names) > len(shown):
        text += "; " + ngettext(
            "and %(count)s more", "and %(count)s more", len(names) - len(shown)
        ) % {"count": len(names) - len(shown)}
    return _cut(text, layout.chars)


def _revenue(pdf: _Sheet, budget: CitizenBudget, layout: Layout) -> None:
    size = layout.size
    _heading(pdf, _("Where the money comes from"), size)
    _head_row(pdf, _("Source"), size, per_resident=False)
    for row in budget.revenue_rows:
        _row(
            pdf,
            name=row.label,
            detail=_names([item.label for item in row.items], layout),
            figures=[_money(row.amount), _percent(row.share)],
            size=size,
        )
    _row(
        pdf,
        name=_("Total revenue"),
        detail="",
        figures=[_money(budget.revenue), _percent(100 if budget.revenue else None)],
        size=size,
        bold=True,
    )
    if budget.deficit:
        pdf.text_block(
            WIDTH,
            _(
                "Spending exceeds revenue by %(deficit)s; the difference is paid from "
                "the free cash balances of previous years."
            )
            % {"deficit": _money(budget.deficit)},
            size=size - 1,
            color=MUTED,
        )


def shown_groups(
    groups: list[SpendingGroup], most: int | None
) -> tuple[list[SpendingGroup], list[SpendingGroup]]:
    """The groups given a row of their own, largest first, and those summed into one row
    of everything else: all of them fit when they are no more than `most` + 1."""
    if most is None or len(groups) <= most + 1:
        return groups, []
    return groups[:most], groups[most:]


def _spending(pdf: _Sheet, budget: CitizenBudget, layout: Layout) -> None:
    size = layout.size
    _heading(pdf, _("What the money is for"), size)
    _head_row(pdf, _("In plain words, then the official name"), size, per_resident=True)
    shown, rest = shown_groups(budget.groups, layout.groups)
    for group in shown:
        _row(
            pdf,
            name=_names(group.plain_names, layout),
            detail=_cut(f"{group.code} {group.official_name}".strip(), layout.chars),
            figures=[
                _money(group.amount),
                _percent(group.share),
                "" if group.per_resident is None else tenge(group.per_resident),
            ],
            size=size,
        )
    if rest:
        amount = sum(group.amount for group in rest)
        share = sum(group.share or 0 for group in rest)
        per_resident = [group.per_resident for group in rest]
        _row(
            pdf,
            name=_("Everything else, in smaller amounts"),
            detail=_names(
                [f"{group.code} {group.official_name}".strip() for group in rest],
                layout,
            ),
            figures=[
                _money(amount),
                _percent(share),
                "" if None in per_resident else tenge(sum(per_resident)),
            ],
            size=size,
        )
    if not budget.groups:
        pdf.text_block(WIDTH, _("No spending is planned."), size=size)
    _row(
        pdf,
        name=_("Total spending"),
        detail="",
        figures=[
            _money(budget.expenditure),
            _percent(100 if budget.expenditure else None),
            "" if budget.per_resident is None else tenge(budget.per_resident),
        ],
        size=size,
        bold=True,
    )


def _projects(pdf: _Sheet, budget: CitizenBudget, layout: Layout) -> None:
    size = layout.size
    _heading(pdf, _("Residents' projects this budget pays for"), size)
    if not budget.projects:
        pdf.text_block(
            WIDTH, _("No residents' project is included in this budget."), size=size
        )
        return
    listed = budget.projects[: layout.projects]
    for project in listed:
        companion = project.companion
        title = companion.title or str(companion.hidden_label)
        pdf.text_block(
            WIDTH,
            _cut(
                f"• {title} — {companion.status_label} ({project.item.label})",
                layout.chars,
            ),
            size=size,
        )
    more = len(budget.projects) - len(listed)
    if more:
        pdf.text_block(
            WIDTH,
            ngettext(
                "and %(count)s more project: see the page.",
                "and %(count)s more projects: see the page.",
                more,
            )
            % {"count": more},
            size=size,
            color=MUTED,
        )


def _footer(pdf: _Sheet, budget: CitizenBudget, page_url: str, size: float) -> None:
    top = PAGE_HEIGHT - MARGIN - QR_SIZE
    pdf.set_draw_color(*RULE)
    pdf.line(MARGIN, top - 3, PAGE_WIDTH - MARGIN, top - 3)
    qr_draw(pdf, page_url, x=MARGIN, y=top, size=QR_SIZE)
    text_x = MARGIN + QR_SIZE + 5
    text_w = PAGE_WIDTH - MARGIN - text_x
    pdf.set_xy(text_x, top)
    pdf.text_block(
        text_w,
        _(
            "Scan the code to read the whole budget, every line of it, the residents' "
            "projects and the public discussion:"
        ),
        size=max(size, 8.5),
    )
    pdf.text_block(text_w, page_url, size=max(size, 8.5), style="B")
    pdf.ln(1)
    pdf.text_block(
        text_w,
        _("Qatysu, the portal of local budgets. Printed on %(day)s.")
        % {"day": day_text(timezone.localdate())},
        size=max(size - 1, 7.5),
        color=MUTED,
    )
