"""The notice of a residents' vote for the akimat's notice board: in Kazakh and Russian on
one A4 page (portal.printed), with the QR code of the vote's page. It announces what does
not change once the vote is set up as printed: the days, the amount shared, who votes and
how; the projects are read on the page, since the akimat may still change them until the
vote opens."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.formats import day_text
from portal.printed import NoticeText, notice_pdf
from portal.templatetags.portal_tags import tenge
from votes.models import Vote
from votes.protocol import ballot_text


def vote_notice_pdf(vote: Vote, *, page_url: str) -> bytes:
    cycle = vote.cycle

    def say() -> NoticeText:
        unit = cycle.unit.name
        return NoticeText(
            heading=_("Residents' vote on the %(year)s budget of %(unit)s")
            % {"year": cycle.fiscal_year, "unit": unit},
            lines=[
                _(
                    "The residents choose which projects are funded from %(amount)s ₸ "
                    "of the local budget."
                )
                % {"amount": tenge(vote.amount)},
                _("Voting opens on %(opens)s and closes at the end of %(closes)s.")
                % {"opens": day_text(vote.starts_on), "closes": day_text(vote.ends_on)},
                _("Who votes: the residents of %(unit)s aged %(age)s or over.")
                % {"unit": unit, "age": vote.min_age},
                ballot_text(vote),
                _(
                    "Vote on line at the address below, or on a paper ballot at the "
                    "akimat. The projects on the ballot are listed at the same address."
                ),
            ],
        )

    return notice_pdf(
        title=_("Residents' vote on the %(year)s budget of %(unit)s")
        % {"year": cycle.fiscal_year, "unit": cycle.unit.name},
        page_url=page_url,
        say=say,
    )
