"""The demo holds an open residents' vote the demo's residents can vote in, and a vote
counted by equal shares with what greedy would have chosen instead; loaded once."""

from io import StringIO

from django.core.management import call_command
from django.test import Client

from accounts.models import User
from portal.permissions import allows
from votes import selectors
from votes.lifecycle import VoteStatus
from votes.models import Ballot, Vote


def test_the_demo_has_an_open_vote_and_a_counted_one_and_loads_once(db):
    call_command("load_demo", stdout=StringIO())
    first = (Vote.objects.count(), Ballot.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Vote.objects.count(), Ballot.objects.count()) == first == (2, 16 + 52)

    open_vote = selectors.with_days(Vote.objects.select_related("cycle__unit")).get(
        cycle__unit__kato_code="117049000"
    )
    assert selectors.vote_status(open_vote) == VoteStatus.OPEN
    resident = User.objects.get(email="resident.zelenybor@demo.qatysu.kz")
    assert allows(resident, "votes.cast", open_vote)
    assert selectors.ballot_of(vote=open_vote, user=resident) is None
    client = Client()
    client.force_login(resident)
    assert client.get(open_vote.get_absolute_url() + "ballot/").status_code == 200

    counted = Vote.objects.get(cycle__unit__kato_code="117053000")
    assert counted.is_counted and not counted.greedy_stood
    selected = set(
        counted.projects.filter(outcome="selected").values_list("title", flat=True)
    )
    greedy = set(
        counted.projects.filter(greedy_selected=True).values_list("title", flat=True)
    )
    # Equal shares gives the small villages their projects; greedy would not have
    assert "Колодец в Баянбае" in selected and "Брусиловкаға жол жөндеу" in selected
    assert greedy == {"Кенесарыдағы саябақ", "Новая крыша сельского клуба в Кенесары"}
