"""A proposal's comments by pages of 50: the most discussed have thousands, and the page
must not grow with them. A new comment or reply is shown on the page that holds it."""

import datetime
import re

import time_machine

from proposals.models import ProposalComment
from proposals.selectors import COMMENTS_PER_PAGE
from tests.proposals.conftest import at
from tests.proposals.factories import ProposalCommentFactory

COMMENTED_AT = at(2026, 3, 12)


def discussed(proposal, author, count: int) -> list[ProposalComment]:
    start = COMMENTED_AT - datetime.timedelta(days=1)
    return ProposalComment.objects.bulk_create(
        ProposalCommentFactory.build(
            proposal=proposal,
            author=author,
            body=f"Comment number {n}",
            created_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )


def shown(response) -> list[str]:
    """The comments on the page, as a visitor reads them."""
    return re.findall(r"Comment number \d+", response.content.decode())


def test_the_comments_come_by_pages_oldest_first(client, submitted, neighbour):
    # given 120 comments on a proposal
    discussed(submitted, neighbour, 2 * COMMENTS_PER_PAGE + 20)
    with time_machine.travel(COMMENTED_AT, tick=False):
        first = client.get(submitted.get_absolute_url())
        last = client.get(submitted.get_absolute_url() + "?page=3")
        beyond = client.get(submitted.get_absolute_url() + "?page=99")
        nonsense = client.get(submitted.get_absolute_url() + "?page=x")
    html = first.content.decode()
    # the first page shows the first 50, says how many there are, links to the next
    assert shown(first)[0] == "Comment number 0"
    assert len(shown(first)) == COMMENTS_PER_PAGE
    assert "120 comments" in html
    assert html.count('class="comment"') == COMMENTS_PER_PAGE
    assert 'href="?page=2#comments"' in html
    assert "Page 1 of 3" in html
    # the third holds the last 20; a page beyond is the last, nonsense the first
    assert shown(last) == [f"Comment number {n}" for n in range(100, 120)]
    assert shown(beyond) == shown(last)
    assert shown(nonsense) == shown(first)


def test_a_new_comment_and_a_reply_go_to_the_page_that_shows_them(
    client, submitted, neighbour
):
    made = discussed(submitted, neighbour, COMMENTS_PER_PAGE + 5)
    client.force_login(neighbour)
    with time_machine.travel(COMMENTED_AT, tick=False):
        posted = client.post(submitted.get_absolute_url(), {"body": "The newest one."})
        newest = ProposalComment.objects.get(body="The newest one.")
        # a reply to the first comment is shown under it, on the first page
        answered = client.post(
            submitted.get_absolute_url(),
            {"body": "An answer.", "reply_to": made[0].pk},
        )
        answer = ProposalComment.objects.get(body="An answer.")
        page = client.get(posted.url)
    assert posted.url == f"{submitted.get_absolute_url()}?page=2#comment-{newest.pk}"
    assert answered.url == f"{submitted.get_absolute_url()}#comment-{answer.pk}"
    assert "The newest one." in page.content.decode()
