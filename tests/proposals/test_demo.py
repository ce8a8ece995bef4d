"""The demo shows proposals in their phases: open in Vedenovka, decided in Zlatopolye."""

from io import StringIO

from django.core.management import call_command

from proposals.models import Proposal, Support


def _statuses(kato_code):
    return sorted(
        Proposal.objects.filter(unit__kato_code=kato_code).values_list(
            "status", flat=True
        )
    )


def test_the_demo_has_proposals_in_every_stage_and_loads_once(db):
    # (The residents' votes' proposals are tests/votes/test_demo.py's.)
    theirs = Proposal.objects.filter(unit__kato_code__in=["117037000", "117051000"])
    call_command("load_demo", stdout=StringIO())
    first = (theirs.count(), Support.objects.count())

    call_command("load_demo", stdout=StringIO())

    assert (theirs.count(), Support.objects.count()) == first == (6, 4)
    assert _statuses("117037000") == ["submitted", "submitted", "submitted"]
    assert _statuses("117051000") == ["approved", "included", "rejected"]
    registered = theirs.filter(registered_by__isnull=False)
    assert registered.count() == 2
    assert all(proposal.author_iin_digest for proposal in Proposal.objects.all())
    lights = Proposal.objects.get(status="included")
    assert lights.included_line.classification.code == "124 008"
    assert lights.review.completed_at is not None
    assert lights.decision.reason
