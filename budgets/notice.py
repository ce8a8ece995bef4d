"""The notice of a draft budget open for public discussion, for the akimat's notice board:
in Kazakh and Russian on one A4 page (portal.printed), with the QR code of the draft's
page: what the draft spends and takes in, until when residents comment, and where."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from budgets.models import DraftBudget
from budgets.selectors import draft_totals
from portal.formats import day_text
from portal.printed import NoticeText, notice_pdf
from portal.templatetags.portal_tags import tenge


def draft_notice_pdf(
    draft: DraftBudget, *, until: datetime.date, page_url: str
) -> bytes:
    cycle = draft.cycle
    totals = draft_totals(draft)

    def say() -> NoticeText:
        unit = cycle.unit.name
        return NoticeText(
            heading=_("The draft budget of %(unit)s for %(year)s: public discussion")
            % {"unit": unit, "year": cycle.fiscal_year},
            lines=[
                _(
                    "The akimat has published version %(version)s of the draft local "
                    "budget: %(revenue)s ₸ of revenue, %(expenditure)s ₸ of spending."
                )
                % {
                    "version": draft.version,
                    "revenue": tenge(totals.revenue),
                    "expenditure": tenge(totals.expenditure),
                },
                _("Residents comment on it until the end of %(day)s.")
                % {"day": day_text(until)},
                _(
                    "Read the draft line by line and comment on line at the address "
                    "below; the akimat answers every comment in public. A comment may "
                    "also be brought in writing to the akimat."
                ),
            ],
        )

    return notice_pdf(
        title=_("The draft budget of %(unit)s for %(year)s: public discussion")
        % {"unit": cycle.unit.name, "year": cycle.fiscal_year},
        page_url=page_url,
        say=say,
    )
