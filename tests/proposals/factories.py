"""Factories of proposals: a proposal of a cycle in a status, and the rows that go with one
(supports, comments, reports, photos, the review, the akim's decision, the implementation
report), written straight to the database: for reads at scale (`.build()` them and
`bulk_create`) and for a proposal put in a status without its walk through the services.
The walk itself, with its audit events and notices, is in tests/proposals/conftest.py."""

import datetime
from collections import Counter
from decimal import Decimal

import factory
from django.db.models import F
from django.utils import timezone

from portal import search
from proposals.models import (
    AkimDecision,
    Assessment,
    ContentReport,
    Decision,
    ImplementationReport,
    PhotoKind,
    Proposal,
    ProposalComment,
    ProposalPhoto,
    ProposalStatus,
    Review,
    Support,
)
from tests.accounts.factories import UserFactory
from tests.budgets.conftest import at
from tests.budgets.factories import ClassificationFactory

# The review of the 2027 cycle, whose proposals close on 30 April 2026.
REVIEW_STARTED_ON = datetime.date(2026, 5, 1)
REVIEW_DEADLINE = datetime.date(2026, 5, 22)
ASSESSED_AT = at(2026, 5, 6)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A public proposal of the cycle given (`cycle` is required), submitted when it was
    created unless it is a draft."""

    class Meta:
        model = Proposal

    cycle = None
    unit = factory.LazyAttribute(lambda o: o.cycle.unit)
    place = factory.LazyAttribute(lambda o: o.unit)
    function = factory.SubFactory(ClassificationFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    description = "Lamps for the street."
    status = ProposalStatus.SUBMITTED
    author = factory.SubFactory(UserFactory, with_iin=True)
    author_iin_digest = factory.LazyAttribute(
        lambda o: (o.author.iin_digest or "") if o.author else ""
    )
    author_name = factory.LazyAttribute(
        lambda o: o.author.public_name if o.author else "A resident"
    )
    created_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == ProposalStatus.DRAFT else o.created_at
    )
    search_text = factory.LazyAttribute(
        lambda o: search.index_text(o.title, o.description)
    )


class SupportFactory(factory.django.DjangoModelFactory):
    """A support with the proposal's kept count raised, as the service raises it."""

    class Meta:
        model = Support

    proposal = None
    user = factory.SubFactory(UserFactory, with_iin=True)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        support = super()._create(model_class, *args, **kwargs)
        Proposal.objects.filter(pk=support.proposal_id).update(
            support_count=F("support_count") + 1
        )
        return support


def supports_bulk_create(pairs) -> list[Support]:
    """Supports of (proposal, user) pairs in one statement, each proposal's kept count
    raised by its number of them (as support_add would have, one by one)."""
    supports = Support.objects.bulk_create(
        Support(proposal=proposal, user=user) for proposal, user in pairs
    )
    added = Counter(support.proposal_id for support in supports)
    for pk, count in added.items():
        Proposal.objects.filter(pk=pk).update(support_count=F("support_count") + count)
    return supports


class ProposalCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalComment

    proposal = None
    author = factory.SubFactory(UserFactory, with_iin=True)
    body = factory.Sequence(lambda n: f"Comment {n}")


class ContentReportFactory(factory.django.DjangoModelFactory):
    """An open report of the proposal, or of one of its comments (`comment`)."""

    class Meta:
        model = ContentReport

    proposal = None
    comment = None
    reporter = factory.SubFactory(UserFactory)
    reason = "Spam"


class ProposalPhotoFactory(factory.django.DjangoModelFactory):
    """A photo's row; the file it names is not written."""

    class Meta:
        model = ProposalPhoto

    proposal = None
    kind = PhotoKind.PROPOSAL
    image = factory.Sequence(lambda n: f"proposals/photo-{n}.jpg")
    caption = factory.Sequence(lambda n: f"Photo {n}")


class ReviewFactory(factory.django.DjangoModelFactory):
    """The review of a proposal, open; `assessed=True` completes it, recommended."""

    class Meta:
        model = Review

    proposal = None
    started_on = REVIEW_STARTED_ON
    deadline = REVIEW_DEADLINE

    class Params:
        assessed = factory.Trait(
            assessment=Assessment.RECOMMENDED,
            is_within_competence=True,
            reasons="Assessed.",
            completed_at=ASSESSED_AT,
            completed_by=factory.SubFactory(UserFactory),
        )


class AkimDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AkimDecision

    proposal = None
    decision = Decision.APPROVED
    reason = "Decided."
    decided_by = factory.SubFactory(UserFactory)


class ImplementationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementationReport

    proposal = None
    text = "Done."
    amount_spent = Decimal("1000")
    reported_by = factory.SubFactory(UserFactory)
