"""A gathering on paper: the notice for the notice board (Kazakh and Russian on one A4
page with the QR code of its page) and its minutes, in Kazakh or Russian, from what was
recorded: the territory, the rules it was held by, the residents of age and those present,
the quorum, and each question with its votes and decision. A sitting of the community
meeting's minutes likewise, with its members present and absent by name."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf.fonts import FontFace

from community import lifecycle, selectors
from community.models import Convener, Gathering, MeetingSitting
from portal.formats import day_text, moment_text
from portal.printed import FONT, NoticeText, a4, fonts, notice_pdf

MINUTES_LANGUAGES = ("kk", "ru")


def territory_text(gathering: Gathering) -> str:
    """Whose gathering it is, in words of the active language."""
    unit = gathering.unit.name
    if gathering.place_id is None:
        return _("the residents of %(unit)s") % {"unit": unit}
    place = gathering.place.name
    if gathering.house:
        return _("the residents of house %(house)s, %(street)s street, %(place)s") % {
            "house": gathering.house,
            "street": gathering.street,
            "place": place,
        }
    if gathering.street:
        return _("the residents of %(street)s street, %(place)s") % {
            "street": gathering.street,
            "place": place,
        }
    return _("the residents of %(place)s") % {"place": place}


def title_text(gathering: Gathering) -> str:
    if gathering.place_id is None:
        return _("Gathering of the residents of %(unit)s") % {
            "unit": gathering.unit.name
        }
    return _("Separate gathering of %(territory)s") % {
        "territory": territory_text(gathering)
    }


def gathering_notice_pdf(gathering: Gathering, *, page_url: str) -> bytes:
    items = list(gathering.items.all())

    def say() -> NoticeText:
        convener = (
            _("Convened by the akim.")
            if gathering.convener == Convener.AKIM
            else _("Convened by the residents, with %(count)s signatures.")
            % {"count": gathering.signatures}
        )
        return NoticeText(
            heading=title_text(gathering),
            lines=[
                _("On %(day)s at %(time)s, at %(venue)s.")
                % {
                    "day": day_text(gathering.held_on),
                    "time": gathering.starts_at.strftime("%H:%M"),
                    "venue": gathering.venue,
                },
                _("Subject: %(subject)s") % {"subject": gathering.subject},
                _("Agenda:"),
                *(f"{item.position}. {item.title}" for item in items),
                _(
                    "Residents of the territory aged %(age)s or over take part; bring "
                    "your identity card."
                )
                % {"age": gathering.min_age},
                convener,
            ],
        )

    return notice_pdf(title=title_text(gathering), page_url=page_url, say=say)


def _minutes_head(title: str, subtitle: str, *, language: str):
    pdf = a4(title=title, language=language, margin=18, files=fonts(), page_break=16)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    return pdf


def _facts(pdf, facts: list[tuple[str, str]]) -> None:
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=(40, 60), first_row_as_headings=False) as table:
        for label, value in facts:
            row = table.row()
            row.cell(label, style=bold)
            row.cell(value)
    pdf.ln(5)


def _agenda(pdf, items, outcome_of) -> None:
    """Each question with its votes and what came of it."""
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, _("Agenda and decisions"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        col_widths=(6, 44, 10, 10, 10, 20),
        text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
    ) as table:
        heading = table.row()
        for text in (
            "№",
            _("Question"),
            _("For"),
            _("Against"),
            _("Abstained"),
            _("Outcome"),
        ):
            heading.cell(text)
        for item in items:
            row = table.row()
            row.cell(str(item.position))
            row.cell(item.title + (f"\n{item.decision}" if item.decision else ""))
            for count in (item.votes_for, item.votes_against, item.votes_abstain):
                row.cell("—" if count is None else str(count))
            row.cell(OUTCOME_LABELS[outcome_of(item).key]())


def _signatures(pdf, roles) -> None:
    pdf.ln(10)
    pdf.set_font(FONT, "", 11)
    for role in roles:
        pdf.cell(0, 10, f"{role}: ____________________", new_x="LMARGIN", new_y="NEXT")


def minutes_pdf(gathering: Gathering, *, language: str) -> bytes:
    """The minutes of a held gathering in `language` (kk or ru)."""
    figures = selectors.gathering_figures(gathering=gathering)
    quorate = figures["quorate"]
    with translation.override(language):
        pdf = _minutes_head(
            _("Minutes of the gathering"),
            _("%(title)s (KATO %(kato)s)")
            % {"title": title_text(gathering), "kato": gathering.unit.kato_code},
            language=language,
        )
        _facts(
            pdf,
            [
                (
                    _("Date and time"),
                    f"{day_text(gathering.held_on)}, "
                    f"{gathering.starts_at.strftime('%H:%M')}",
                ),
                (_("Place of the gathering"), gathering.venue),
                (_("Subject"), gathering.subject),
                (
                    _("Convened by"),
                    str(Convener(gathering.convener).label)
                    + (
                        f" ({gathering.signatures})"
                        if gathering.convener == Convener.RESIDENTS
                        else ""
                    ),
                ),
                (
                    _("Residents of age in the household register"),
                    str(figures["eligible"]),
                ),
                (_("Present"), str(figures["present"])),
                (
                    _("Quorum"),
                    _("%(percent)s%% of the residents of age: %(needed)s")
                    % {
                        "percent": gathering.quorum_percent,
                        "needed": figures["quorum_needed"],
                    },
                ),
                (
                    _("The gathering is"),
                    _("valid") if quorate else _("not valid: no quorum"),
                ),
                (
                    _("A decision needs"),
                    _("more than %(percent)s%% of those present voting for")
                    % {"percent": gathering.majority_percent},
                ),
                (_("Minutes published"), moment_text(gathering.closed_at)),
            ],
        )
        _agenda(
            pdf,
            gathering.items.all(),
            lambda item: lifecycle.item_outcome(
                item,
                present=gathering.present or 0,
                percent=gathering.majority_percent,
                quorate=quorate,
            ),
        )
        _signatures(pdf, (_("Chair of the gathering"), _("Secretary of the gathering")))
        return bytes(pdf.output())


def sitting_title(sitting: MeetingSitting) -> str:
    return _("Sitting of the community meeting of %(unit)s") % {
        "unit": sitting.unit.name
    }


def sitting_minutes_pdf(sitting: MeetingSitting, *, language: str) -> bytes:
    """The minutes of a held sitting of the community meeting in `language` (kk or
    ru): the members in office, those present and absent by name, the quorum, each
    question's votes."""
    figures = selectors.sitting_figures(sitting=sitting)
    quorate = figures["quorate"]
    present = selectors.roll_members(sitting=sitting, present=True)
    absent = selectors.roll_members(sitting=sitting, present=False)
    with translation.override(language):
        pdf = _minutes_head(
            _("Minutes of the sitting of the community meeting"),
            _("%(title)s (KATO %(kato)s)")
            % {"title": sitting_title(sitting), "kato": sitting.unit.kato_code},
            language=language,
        )
        _facts(
            pdf,
            [
                (
                    _("Date and time"),
                    f"{day_text(sitting.held_on)}, {sitting.starts_at.strftime('%H:%M')}",
                ),
                (_("Place of the sitting"), sitting.venue),
                (_("Members in office"), str(figures["total"])),
                (_("Members present"), str(figures["present"])),
                (
                    _("Quorum"),
                    _("%(percent)s%% of the members: %(needed)s")
                    % {
                        "percent": sitting.meeting_quorum_percent,
                        "needed": figures["quorum_needed"],
                    },
                ),
                (
                    _("The sitting is"),
                    pgettext("sitting", "valid")
                    if quorate
                    else pgettext("sitting", "not valid: no quorum"),
                ),
                (
                    _("A decision needs"),
                    _("more than %(percent)s%% of those present voting for")
                    % {"percent": sitting.meeting_majority_percent},
                ),
                (_("Minutes published"), moment_text(sitting.closed_at)),
            ],
        )
        for heading, members in (
            (pgettext("names", "Members present"), list(present)),
            (_("Members absent"), list(absent)),
        ):
            pdf.set_font(FONT, "B", 12)
            pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 10)
            pdf.multi_cell(
                0,
                6,
                ", ".join(member.full_name for member in members) or "—",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(2)
        _agenda(
            pdf,
            sitting.items.all(),
            lambda item: lifecycle.item_outcome(
                item,
                present=figures["present"],
                percent=sitting.meeting_majority_percent,
                quorate=quorate,
            ),
        )
        _signatures(pdf, (_("Chair of the sitting"), _("Secretary of the sitting")))
        return bytes(pdf.output())


OUTCOME_LABELS = {
    "adopted": lambda: pgettext("decision", "adopted"),
    "not_adopted": lambda: pgettext("decision", "not adopted"),
    "no_quorum": lambda: _("not decided: no quorum"),
}
