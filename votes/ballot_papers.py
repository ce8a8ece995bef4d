"""Ballot papers for the residents who vote on paper at the akimat: one A4 page each,
numbered, in Kazakh and Russian, with the projects of the frozen ballot (their cost and a
box to mark), the rule in words and the line for the clerk who hands it out. Staff enter
each one afterwards (votes.views.paper_ballot), one per resident as online."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from portal.formats import day_text
from portal.printed import FONT, NOTICE_LANGUAGES, PAGE_WIDTH, a4, fonts
from portal.templatetags.portal_tags import tenge
from votes.models import Vote, VoteProject
from votes.protocol import ballot_text

MARGIN = 15
BOX = 6  # the side of the box to mark, in millimetres


def ballot_papers_pdf(
    vote: Vote, projects: list[VoteProject], *, first: int, count: int
) -> bytes:
    """Papers numbered `first` to `first + count - 1`, one page each."""
    cycle = vote.cycle
    said = {}
    for language in NOTICE_LANGUAGES:
        with translation.override(language):
            said[language] = {
                "title": _("Ballot paper of the residents' vote"),
                "budget": _("%(unit)s, the budget for %(year)s")
                % {"unit": cycle.unit.name, "year": cycle.fiscal_year},
                "days": _("Voting from %(opens)s to %(closes)s.")
                % {
                    "opens": day_text(vote.starts_on),
                    "closes": day_text(vote.ends_on),
                },
                "rule": ballot_text(vote),
                "how": _("Mark the box of each project you choose, as the rule says."),
                "issued": _("Handed out by (name, signature):"),
            }
    pdf = a4(
        title=said["kk"]["title"],
        language="kk",
        margin=MARGIN,
        files=fonts(),
        page_break=MARGIN,
    )
    width = PAGE_WIDTH - 2 * MARGIN
    for number in range(first, first + count):
        pdf.add_page()
        pdf.set_font(FONT, "B", 12)
        pdf.cell(
            width,
            7,
            f"№ {number:06d}",  # the numero sign, read alike in Kazakh and Russian
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        for language in NOTICE_LANGUAGES:
            text = said[language]
            pdf.set_font(FONT, "B", 13)
            pdf.multi_cell(width, 6, text["title"], align="L", new_x="LMARGIN")
            pdf.set_font(FONT, "", 10)
            for key in ("budget", "days", "rule", "how"):
                pdf.multi_cell(width, 5, text[key], align="L", new_x="LMARGIN")
            pdf.ln(2)
        for project in projects:
            _project(pdf, project, width)
        pdf.ln(6)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(
            width,
            5,
            f"{said['kk']['issued']} / {said['ru']['issued']} "
            "______________________________",
            align="L",
            new_x="LMARGIN",
        )
    return bytes(pdf.output())


def _project(pdf: FPDF, project: VoteProject, width: float) -> None:
    if pdf.will_page_break(BOX + 4):
        pdf.add_page()
    top = pdf.get_y() + 1
    pdf.set_draw_color(0, 0, 0)
    pdf.rect(MARGIN, top, BOX, BOX)
    pdf.set_xy(MARGIN + BOX + 4, top)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(
        width - BOX - 4, 5.5, project.title, align="L", new_x="LEFT", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 9)
    where = f"{project.place.name} · " if project.place_id else ""
    pdf.multi_cell(
        width - BOX - 4,
        4.5,
        f"{where}{tenge(project.cost)} ₸",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), top + BOX) + 2)
