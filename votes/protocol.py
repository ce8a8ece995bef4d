"""The results protocol of a counted residents' vote, as a PDF in Kazakh or Russian: the
vote's rules, the ballots by channel, every project with its votes, cost and outcome, the
purchases under equal shares, and the places for the signatures of the akim and the
counting commission. Written with fpdf2 in Noto Sans (npm's @expo-google-fonts/noto-sans:
a TrueType font with every letter of the Kazakh alphabet), from the recorded result, so the
same vote gives the same protocol."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from portal.formats import day_text, moment_text
from portal.templatetags.portal_tags import tenge
from votes.models import BallotKind, CountingRule, Outcome
from votes.selectors import PaperCounts, Results

LANGUAGES = ("kk", "ru")
FONT = "NotoSans"


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    fonts = settings.QATYSU_PDF_FONTS
    pdf.add_font(FONT, "", str(fonts["regular"]))
    pdf.add_font(FONT, "B", str(fonts["bold"]))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    return pdf


def ballot_text(vote) -> str:
    """The rule of the ballot in words: how many projects to mark, or points to share."""
    if vote.ballot_kind == BallotKind.APPROVAL:
        return ngettext(
            "Mark from %(fewest)s to %(most)s project.",
            "Mark from %(fewest)s to %(most)s projects.",
            vote.max_choices,
        ) % {
            "fewest": vote.min_choices,
            "most": vote.max_choices,
        }
    if vote.ballot_kind == BallotKind.CUMULATIVE:
        return ngettext(
            "Share %(total)s point among the projects, at most %(most)s to one.",
            "Share %(total)s points among the projects, at most %(most)s to one.",
            vote.points_total,
        ) % {
            "total": vote.points_total,
            "most": vote.points_max,
        }
    return _("Choose one project.")


def _paper_facts(papers: PaperCounts) -> list[tuple[str, str]]:
    """The numbered ballot papers: issued, entered, and issued but never entered."""
    facts = [
        (_("Ballot papers issued"), str(papers.issued)),
        (_("Ballot papers entered"), str(papers.entered)),
        (
            _("Ballot papers issued and not entered (unused or spoiled)"),
            str(papers.not_entered),
        ),
    ]
    if papers.unnumbered:
        facts.append(
            (
                _("Paper ballots entered before the papers' numbers were recorded"),
                str(papers.unnumbered),
            )
        )
    return facts


def protocol_pdf(results: Results, *, papers: PaperCounts, language: str) -> bytes:
    """The protocol of the counted vote, in `language` (kk or ru), with its ballot
    papers set against its paper ballots."""
    vote = results.vote
    cycle = vote.cycle
    with translation.override(language):
        pdf = _pdf()
        title = _("Protocol of the results of the residents' vote")
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.set_creator("Qatysu")
        pdf.add_page()
        pdf.set_font(FONT, "B", 15)
        pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(
            0,
            6,
            _("%(unit)s (KATO %(kato)s), budget for %(year)s")
            % {
                "unit": cycle.unit.name,
                "kato": cycle.unit.kato_code,
                "year": cycle.fiscal_year,
            },
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)
        facts = [
            (
                _("Voting days"),
                _("from %(start)s to the end of %(end)s")
                % {
                    "start": day_text(vote.starts_on),
                    "end": day_text(vote.ends_on),
                },
            ),
            (_("Amount set aside"), f"{tenge(vote.amount)} ₸"),
            (_("Ballot"), ballot_text(vote)),
            (_("Counting rule"), str(CountingRule(vote.rule).label)),
            (_("Voters' minimum age"), str(vote.min_age)),
            (
                _("Ballots cast"),
                _("%(all)s: %(online)s online, %(paper)s on paper")
                % {
                    "all": results.ballots,
                    "online": results.online,
                    "paper": results.paper,
                },
            ),
            *_paper_facts(papers),
            (_("Spent on the selected projects"), f"{tenge(results.spent)} ₸"),
            (
                _("Counted at"),
                moment_text(vote.counted_at),
            ),
        ]
        if results.share_tenge is not None:
            facts.append((_("Each voter's share"), f"{tenge(results.share_tenge)} ₸"))
        bold = FontFace(emphasis="BOLD")
        with pdf.table(col_widths=(34, 66), first_row_as_headings=False) as table:
            for label, value in facts:
                row = table.row()
                row.cell(label, style=bold)
                row.cell(value)
        pdf.ln(5)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(
            0, 7, _("Every project, most votes first"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FONT, "", 10)
        score = _("Points") if vote.ballot_kind == BallotKind.CUMULATIVE else _("Votes")
        with pdf.table(
            col_widths=(7, 47, 18, 12, 16),
            text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "LEFT"),
        ) as table:
            heading = table.row()
            for text in ("№", _("Project"), _("Cost, ₸"), score, _("Outcome")):
                heading.cell(text)
            for row_result in results.ranked:
                project = row_result.project
                row = table.row()
                row.cell(str(row_result.rank))
                row.cell(project.title)
                row.cell(tenge(project.cost))
                row.cell(str(project.votes or 0))
                row.cell(str(Outcome(project.outcome).label) if project.outcome else "")
        if not results.is_greedy and results.selected:
            pdf.ln(5)
            pdf.set_font(FONT, "B", 12)
            pdf.cell(
                0, 7, _("Purchases under equal shares"), new_x="LMARGIN", new_y="NEXT"
            )
            pdf.set_font(FONT, "", 10)
            for row_result in results.winners_by_round:
                project = row_result.project
                if project.round is None:
                    continue
                pdf.multi_cell(
                    0,
                    5.5,
                    _(
                        "Round %(round)s: %(title)s. %(payers)s of its supporters paid "
                        "for it, none more than %(price)s ₸."
                    )
                    % {
                        "round": project.round,
                        "title": project.title,
                        "payers": project.payers,
                        "price": tenge(row_result.price_tenge),
                    },
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
            if vote.rule == CountingRule.EQUAL_SHARES_COMPARED:
                pdf.multi_cell(
                    0,
                    5.5,
                    _("The outcome of most votes first stands after the comparison.")
                    if vote.greedy_stood
                    else _("The outcome of equal shares stands after the comparison."),
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
        pdf.ln(8)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(
            0,
            6,
            ngettext(
                "%(count)s project selected. The ballots are published without names "
                "under their receipts; anyone can recount the vote from its .pb file.",
                "%(count)s projects selected. The ballots are published without names "
                "under their receipts; anyone can recount the vote from its .pb file.",
                len(results.selected),
            )
            % {"count": len(results.selected)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(10)
        for signer in (_("Akim"), _("Akimat staff member responsible for the vote")):
            pdf.cell(
                0, 8, f"{signer}: ____________________", new_x="LMARGIN", new_y="NEXT"
            )
        return bytes(pdf.output())
