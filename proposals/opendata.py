"""The proposals of a cycle as open data: the data set registered in budgets.opendata.

Only what the proposal's public page shows: proposals once submitted (a draft is private),
and of a proposal a moderator hid, neither its text nor where and what it is about, only
the reason it was hidden. Never its author's account, IIN or e-mail; nor the author's
name, which the page shows beside the proposal but a bulk download need not collect.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from budgets.opendata import (
    BOOLEAN,
    CHUNK_SIZE,
    DATE,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    Column,
    Dataset,
    register,
)
from proposals import selectors
from proposals.models import Assessment, Decision, ProposalStatus

# What the page leaves out of a hidden proposal.
HIDDEN_COLUMNS = (
    "title",
    "description",
    "address",
    "place_kato",
    "place_name_kk",
    "place_name_ru",
    "function_code",
    "function_name_kk",
    "function_name_ru",
    "cost_estimate",
)


def _public_statuses() -> tuple:
    return tuple(
        (value, label)
        for value, label in ProposalStatus.choices
        if value != ProposalStatus.DRAFT
    )


def proposal_rows(cycle) -> Iterator[dict]:
    for proposal in selectors.export_proposals(cycle).iterator(chunk_size=CHUNK_SIZE):
        completed_at = proposal["review__completed_at"]
        is_reviewed = completed_at is not None
        row = {
            "proposal": proposal["pk"],
            "submitted_at": proposal["submitted_at"],
            "status": proposal["status"],
            "support_count": proposal["support_count"],
            "is_hidden": proposal["is_hidden"],
            "hidden_reason": proposal["hidden_reason"],
            "title": proposal["title"],
            "description": proposal["description"],
            "address": proposal["address"],
            "place_kato": proposal["place__kato_code"],
            "place_name_kk": proposal["place__name_kk"],
            "place_name_ru": proposal["place__name_ru"],
            "function_code": proposal["function__code"],
            "function_name_kk": proposal["function__name_kk"],
            "function_name_ru": proposal["function__name_ru"],
            "cost_estimate": proposal["cost_estimate"],
            "review_started_on": proposal["review__started_on"],
            "review_deadline": proposal["review__deadline"],
            "reviewed_on": timezone.localdate(completed_at) if is_reviewed else None,
            # The assessment is public once the review is complete.
            "assessment": proposal["review__assessment"] if is_reviewed else None,
            "is_within_competence": proposal["review__is_within_competence"]
            if is_reviewed
            else None,
            "assessed_cost": proposal["review__assessed_cost"] if is_reviewed else None,
            "feasibility": proposal["review__feasibility"] if is_reviewed else None,
            "review_reasons": proposal["review__reasons"] if is_reviewed else None,
            "decision": proposal["decision__decision"],
            "decision_reason": proposal["decision__reason"],
            "decided_at": proposal["decision__decided_at"],
            "included_line_code": proposal["included_line__classification__code"],
            "included_line_version": proposal["included_line__draft__version"],
            "funding_line_code": proposal["funding_line__classification__code"],
            "funding_line_version": proposal["funding_line__draft__version"],
            "amount_spent": proposal["implementation__amount_spent"],
            "implemented_at": proposal["implementation__reported_at"],
            "implementation_report": proposal["implementation__text"],
        }
        if proposal["is_hidden"]:
            row.update(dict.fromkeys(HIDDEN_COLUMNS))
        yield row


HIDDEN_NOTE = _("Empty when a moderator hid the proposal.")


def _unless_hidden(text):
    # Joined lazily, so that the page shows both parts in its language.
    return format_lazy("{} {}", text, HIDDEN_NOTE)


PROPOSALS = register(
    Dataset(
        slug="proposals",
        title=_("Residents' proposals and the decisions on them"),
        description=_(
            "Every proposal residents submitted for this budget, withdrawn ones "
            "included: its support, the akimat's review, the akim's decision with its "
            "reason, the budget line that includes or funds it and what was done. A "
            "proposal not yet submitted is private and not here. Of a proposal a "
            "moderator hid, only the reason it was hidden and what happened to it."
        ),
        columns=(
            Column(
                "proposal",
                INTEGER,
                _("The number of the proposal (its page is /proposals/<n>/)."),
            ),
            Column("submitted_at", DATETIME, _("When it was submitted.")),
            Column("status", STRING, _("Where it stands."), _public_statuses()),
            Column("support_count", INTEGER, _("How many residents support it.")),
            Column("is_hidden", BOOLEAN, _("Whether a moderator hid it as abusive.")),
            Column(
                "hidden_reason",
                STRING,
                _("The moderator's public reason for hiding it."),
            ),
            Column("title", STRING, _unless_hidden(_("Its title."))),
            Column("description", STRING, _unless_hidden(_("What is proposed."))),
            Column(
                "address",
                STRING,
                _unless_hidden(_("The street or landmark, if given.")),
            ),
            Column(
                "place_kato",
                STRING,
                _unless_hidden(_("The KATO code of the village or town where it is.")),
            ),
            Column(
                "place_name_kk",
                STRING,
                _unless_hidden(_("The place's name in Kazakh.")),
            ),
            Column(
                "place_name_ru",
                STRING,
                _unless_hidden(_("The place's name in Russian.")),
            ),
            Column(
                "function_code",
                STRING,
                _unless_hidden(
                    _("The code of its area of spending in the budget classification.")
                ),
            ),
            Column(
                "function_name_kk",
                STRING,
                _unless_hidden(_("The area of spending in Kazakh.")),
            ),
            Column(
                "function_name_ru",
                STRING,
                _unless_hidden(_("The area of spending in Russian.")),
            ),
            Column(
                "cost_estimate",
                NUMBER,
                _unless_hidden(_("The author's estimate of its cost, if given.")),
            ),
            Column("review_started_on", DATE, _("When the akimat's review started.")),
            Column(
                "review_deadline",
                DATE,
                _("The statutory deadline of the review, in working days."),
            ),
            Column("reviewed_on", DATE, _("When the review was completed.")),
            Column(
                "assessment",
                STRING,
                _("The akimat's assessment, once the review is complete."),
                tuple(Assessment.choices),
            ),
            Column(
                "is_within_competence",
                BOOLEAN,
                _("Whether it is within the competence of the unit's akim."),
            ),
            Column("assessed_cost", NUMBER, _("The cost as the akimat assessed it.")),
            Column("feasibility", STRING, _("The akimat's view of its feasibility.")),
            Column("review_reasons", STRING, _("The reasons of the assessment.")),
            Column(
                "decision",
                STRING,
                _("The akim's decision."),
                tuple(Decision.choices),
            ),
            Column("decision_reason", STRING, _("The akim's public reason.")),
            Column("decided_at", DATETIME, _("When the akim decided.")),
            Column(
                "included_line_code",
                STRING,
                _("The code of the draft budget line it was included in."),
            ),
            Column(
                "included_line_version",
                INTEGER,
                _("The version of the draft that line belongs to."),
            ),
            Column(
                "funding_line_code",
                STRING,
                _("The code of the line of the adopted budget that funds it."),
            ),
            Column(
                "funding_line_version",
                INTEGER,
                _("The version of the adopted draft."),
            ),
            Column(
                "amount_spent", NUMBER, _("What its implementation cost, in tenge.")
            ),
            Column(
                "implemented_at", DATETIME, _("When its implementation was reported.")
            ),
            Column("implementation_report", STRING, _("What was done.")),
        ),
        rows=proposal_rows,
        position=10,
    )
)
