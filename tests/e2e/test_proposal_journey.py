"""Proposals in the browser: a resident writes one with a photo and submits it, neighbours
support it and discuss it, the akimat reviews it, the akim approves it, staff include it in
the draft, the adopted budget funds it and staff report it done; the same without
JavaScript; and every proposals page passes axe in Kazakh, Russian and English.

The live server runs in a thread of the test process, so `time_machine.travel(tick=True)`
moves the server's clock to the day each step happens. A session made at one day expires
two weeks later, so each step opens its pages inside its own travel.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from budgets import services as budget_services
from budgets import signals
from budgets.models import ClassificationKind, DraftBudget
from portal.models import Notification
from proposals import services
from proposals.models import (
    AkimDecision,
    Decision,
    ImplementationReport,
    PhotoKind,
    Proposal,
    ProposalComment,
    ProposalStatus,
    Review,
    Support,
)
from tests.accounts.factories import MembershipFactory, ResidencyFactory
from tests.budgets.conftest import BALANCED
from tests.budgets.factories import ClassificationFactory, lines, phase_dates
from tests.proposals.conftest import (
    ASSESSMENT,
    DAY_IN,
    at,
    make_draft,
    make_submitted,
    start_review,
)

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["kk", "ru", "en"]
UNIT = "115633000"
PROPOSALS = f"/units/{UNIT}/budget/2027/proposals/"
TITLE = "Street lights on Abai street"
# The review starts on the first working day after the proposals closed on 30 April.
REVIEW_DAY = at(2026, 5, 4)
# 15 working days from 30 April 2026: 1, 7 and 11 May are days off in Kazakhstan.
DEADLINE = datetime.date(2026, 5, 26)
ADOPTION_DAY = at(2026, 12, 20)
WORK_DAY = at(2027, 6, 1)


def spaced(text: str) -> str:
    """Page text with the no-break spaces of tenge amounts as plain spaces."""
    return text.replace("\xa0", " ")


def facts(page, heading: str) -> dict[str, str]:
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    listing = section.locator("dl.facts").first
    return dict(
        zip(
            listing.locator("dt").all_inner_texts(),
            [spaced(text) for text in listing.locator("dd").all_inner_texts()],
            strict=True,
        )
    )


def status(page) -> str:
    return page.get_by_test_id("proposal-status").first.inner_text()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "abai-street.png"
    Image.new("RGB", (64, 48), (40, 60, 90)).save(path)
    return path


@pytest.fixture
def author(territory):
    return ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        user__first_name="Aigul",
        user__last_name="Serikova",
    ).user


@pytest.fixture
def neighbours(territory):
    return [
        ResidencyFactory(
            place=territory["village"],
            budget_unit=territory["rural_district"],
            user__first_name=first,
            user__last_name=last,
        ).user
        for first, last in [("Bolat", "Nurlanov"), ("Dana", "Karimova")]
    ]


@pytest.fixture
def function(db):
    return ClassificationFactory(
        kind=ClassificationKind.EXPENDITURE,
        code="E701",
        name_kk="Көшелерді жарықтандыру",
        name_ru="Освещение улиц",
    )


@pytest.fixture
def cycle(territory, staff):
    with time_machine.travel(at(2026, 1, 15), tick=False):
        return budget_services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=2027,
            actor=staff,
            dates=phase_dates(2027),
        )


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def moderator(territory):
    return MembershipFactory(role=Role.MODERATOR, unit=territory["region"]).user


@pytest.fixture
def staff(territory):
    return MembershipFactory(
        role=Role.AKIMAT_STAFF,
        unit=territory["rural_district"],
        user__first_name="Marat",
        user__last_name="Tulegenov",
    ).user


def test_a_proposal_goes_from_idea_to_work_done_in_the_browser(
    new_page, assert_accessible, cycle, function, author, neighbours, staff, akim, photo
):
    bolat, dana = neighbours

    # March: the author writes the proposal with a photo and submits it.
    with time_machine.travel(DAY_IN["proposals_open"], tick=True):
        page = new_page(user=author)
        page.goto(f"/en{PROPOSALS}")
        page.get_by_role("link", name="Write a proposal").click()
        page.wait_for_url(re.compile(r"/proposals/new/$"))
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Description").fill(
            "The street is dark in winter; eight lamps are needed."
        )
        page.get_by_label("Area of spending").select_option(
            label="E701 Көшелерді жарықтандыру"
        )
        page.get_by_label("Village or settlement").select_option(label="Ақкөл")
        page.get_by_label("Street or landmark (optional)").fill("Abai street")
        page.get_by_label("Cost estimate, tenge (optional)").fill("2400000")
        page.get_by_label("Photo 1 (optional)").set_input_files(photo)
        page.get_by_label("What photo 1 shows").fill(
            "Abai street at six in the evening"
        )
        page.get_by_role("button", name="Save as a draft").click()
        page.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(page.get_by_role("status")).to_have_text(
            "Your proposal is saved as a private draft. Submit it when it is ready."
        )
        assert status(page) == "draft"
        page.get_by_role("link", name="Submit the proposal").click()
        page.wait_for_url(re.compile(r"/submit/$"))
        assert page.locator("h1").inner_text() == "Submit this proposal?"
        page.get_by_role("button", name="Yes, submit it").click()
        page.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(page.get_by_role("status")).to_have_text(
            "Your proposal is submitted and public."
        )
        assert status(page) == "submitted"
        image = page.get_by_role("img", name="Abai street at six in the evening")
        expect(image).to_be_visible()
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("naturalWidth", 64)
        assert facts(page, "The proposal") == {
            "Budget": "Ортақ ауылдық округі, 2027",
            "Place": "Ақкөл, Abai street",
            "Area of spending": "E701 Көшелерді жарықтандыру",
            "Cost estimate": "2 400 000 ₸",
            "Author": "Aigul S.",
        }
        proposal_url = urlsplit(page.url).path

        # Two neighbours support it; one comments and the other replies.
        first = new_page(user=bolat)
        first.goto(proposal_url)
        first.get_by_role("button", name="Support this proposal").click()
        expect(first.get_by_role("status")).to_have_text("You support this proposal.")
        first.get_by_label("Your comment").fill(
            "Yes: the children walk to school in the dark."
        )
        first.get_by_role("button", name="Publish the comment").click()
        expect(first.get_by_role("status")).to_have_text("Your comment is published.")

        second = new_page(user=dana)
        second.goto(proposal_url)
        second.get_by_role("button", name="Support this proposal").click()
        expect(second.get_by_role("status")).to_have_text("You support this proposal.")
        second.get_by_label("Reply").fill("And the bus stop needs a lamp too.")
        second.get_by_role("button", name="Publish the reply").click()
        expect(second.get_by_role("status")).to_have_text("Your comment is published.")

        page.reload()
        assert page.get_by_test_id("support-count").inner_text() == "2 supporters"
        comment = page.locator("#comments > article.comment")
        assert comment.count() == 1
        assert comment.locator("> .comment-meta strong").inner_text() == "Bolat N."
        reply = comment.locator("article.comment")
        assert reply.locator(".comment-meta strong").inner_text() == "Dana K."
        assert "And the bus stop needs a lamp too." in reply.inner_text()

    # May: the clock job closes the proposals and the review starts.
    with time_machine.travel(REVIEW_DAY, tick=True):
        assert budget_services.cycles_announce() == [cycle]
        page = new_page()
        page.goto(proposal_url)
        assert status(page) == "under review"
        assert facts(page, "The akimat's review") == {
            "Review started": "1 May 2026",
            "Deadline": "26 May 2026",
            "Assessment": "under way",
        }
        assert page.get_by_role("button", name="Support this proposal").count() == 0

        # Staff find it in the queue, take it and publish the assessment.
        akimat = new_page(user=staff)
        akimat.goto(f"/en/units/{UNIT}/proposals/queue/")
        row = akimat.locator("tbody tr").filter(has_text=TITLE)
        assert [spaced(text) for text in row.locator("td").all_inner_texts()] == [
            f"{TITLE}\nАқкөл · 2027",
            "under review",
            "2",
            "not assigned",
            "26 May 2026",
        ]
        row.get_by_role("link", name=TITLE).click()
        akimat.get_by_role("link", name="Review the proposal").click()
        akimat.wait_for_url(re.compile(r"/review/$"))
        akimat.get_by_role("combobox", name="Reviewer").select_option(
            label="Marat Tulegenov"
        )
        akimat.get_by_role("button", name="Assign").click()
        expect(akimat.get_by_role("status")).to_have_text("The reviewer is assigned.")
        expect(akimat.get_by_text("Assigned to Marat Tulegenov.")).to_be_visible()
        akimat.get_by_label("recommended", exact=True).check()
        akimat.get_by_role(
            "group", name="Is it within the competence of the unit's akim?"
        ).get_by_label("yes").check()
        akimat.get_by_label("Cost as assessed, tenge").fill("2300000")
        akimat.get_by_label("Feasibility").fill("Can be done in one summer.")
        akimat.get_by_label("Reasons (published)").fill(
            "Within the akim's competence; the cost is realistic."
        )
        akimat.get_by_role("button", name="Publish the assessment").click()
        akimat.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(akimat.get_by_role("status")).to_have_text(
            "The assessment is published; the akim decides next."
        )
        assert status(akimat) == "recommended by the akimat"

        # The akim approves it, with a reason everyone reads.
        chief = new_page(user=akim)
        chief.goto(proposal_url)
        chief.get_by_role("link", name="Decide on the proposal").click()
        chief.wait_for_url(re.compile(r"/decide/$"))
        chief.get_by_label("approved", exact=True).check()
        chief.get_by_label("Reason (published)").fill(
            "Lighting is the first need residents named."
        )
        chief.get_by_label(
            "I understand that the decision is final and published at once."
        ).check()
        chief.get_by_role("button", name="Publish the decision").click()
        chief.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(chief.get_by_role("status")).to_have_text("The decision is published.")

        page.reload()
        assert status(page) == "approved by the akim"
        assert facts(page, "The akimat's review") == {
            "Review started": "1 May 2026",
            "Deadline": "26 May 2026",
            "Assessment": "recommended",
            "Within the competence of the unit's akim": "yes",
            "Cost as assessed": "2 300 000 ₸",
            "Feasibility": "Can be done in one summer.",
            "Reasons": "Within the akim's competence; the cost is realistic.",
            "Assessed on": "4 May 2026",
        }
        assert page.get_by_test_id("decision").inner_text() == "approved"
        assert page.get_by_test_id("decision-reason").inner_text() == (
            "Lighting is the first need residents named."
        )

    # July: staff include it in the street lighting line of the draft.
    with time_machine.travel(DAY_IN["drafting"], tick=True):
        draft = budget_services.draft_create(cycle=cycle, actor=staff)
        budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
        akimat = new_page(user=staff)
        akimat.goto(proposal_url)
        akimat.get_by_role("link", name="Include it in the draft budget").click()
        akimat.wait_for_url(re.compile(r"/include/$"))
        line = akimat.get_by_label("Expenditure line of the draft budget")
        assert line.locator("option:checked").inner_text() == (
            "Version 1 — E701 Көшелерді жарықтандыру"
        )
        akimat.get_by_role("button", name="Include it", exact=True).click()
        akimat.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(akimat.get_by_role("status")).to_have_text(
            "The proposal is included in the draft budget."
        )
        assert status(akimat) == "included in the draft budget"
        # The draft is still being prepared: its line is named, its amount not yet
        assert spaced(akimat.get_by_test_id("budget-line").inner_text()) == (
            "Included in the line E701 Көшелерді жарықтандыру of the draft being "
            "prepared: its amount is public once the draft is published."
        )

    # December: the maslikhat adopts the draft; the proposal is funded by its line.
    with time_machine.travel(ADOPTION_DAY, tick=True):
        signals.draft_adopted.send(sender=DraftBudget, draft=draft)
        page = new_page()
        page.goto(proposal_url)
        assert status(page) == "funded"
        assert spaced(page.get_by_test_id("budget-line").inner_text()) == (
            "Funded by the line E701 Көшелерді жарықтандыру "
            "(version 1 of the draft, 20 000 000 ₸ for the whole line)"
        )

    # June 2027: the work starts and is reported done.
    with time_machine.travel(WORK_DAY, tick=True):
        akimat = new_page(user=staff)
        akimat.goto(proposal_url)
        akimat.get_by_role("link", name="Mark the work as started").click()
        akimat.wait_for_url(re.compile(r"/start/$"))
        assert akimat.locator("h1").inner_text() == "Mark the work as started?"
        assert_accessible(akimat)
        akimat.get_by_role("button", name="Yes, the work has started").click()
        akimat.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(akimat.get_by_role("status")).to_have_text(
            "The proposal is marked as in progress."
        )
        assert status(akimat) == "in progress"
        akimat.get_by_role("link", name="Report the work done").click()
        akimat.wait_for_url(re.compile(r"/implement/$"))
        akimat.get_by_label("What was done").fill(
            "Eight LED lamps installed along Abai street."
        )
        akimat.get_by_label("Amount spent, tenge").fill("2250000")
        akimat.get_by_role("button", name="Publish the report").click()
        akimat.wait_for_url(re.compile(r"/proposals/\d+/$"))
        expect(akimat.get_by_role("status")).to_have_text(
            "The implementation report is published; followers are told."
        )

        page = new_page()
        page.goto(proposal_url)
        assert status(page) == "implemented"
        assert page.get_by_test_id("amount-spent").inner_text() == "2\xa0250\xa0000 ₸"
        assert "Eight LED lamps installed along Abai street." in (
            page.get_by_role("region", name="What was done").inner_text()
        )

        # The public timeline tells the whole story.
        history = page.locator("ol.history li").all_inner_texts()
        assert [re.sub(r"^.* — ", "", line) for line in history] == [
            "Submitted by its author.",
            "The review started; deadline 26 May 2026.",
            "Recommended by the akimat.",
            "Approved by the akim.",
            "Included in line E701 of version 1 of the draft budget.",
            "Funded: the maslikhat adopted the budget.",
            "The work has started.",
            "Implemented.",
        ]

        # The author was told of every change, newest first.
        mine = new_page(user=author)
        mine.goto("/en/notifications/")
        assert mine.locator(".notification-list li strong").all_inner_texts() == [
            f"“{TITLE}”: {state}"
            for state in [
                "implemented",
                "in progress",
                "funded",
                "included in the draft budget",
                "approved by the akim",
                "recommended by the akimat",
                "under review",
            ]
        ]

    proposal = Proposal.objects.get()
    assert (proposal.author, proposal.title, proposal.status) == (
        author,
        TITLE,
        ProposalStatus.IMPLEMENTED,
    )
    assert proposal.funding_line.classification.code == "E701"
    assert sorted(Support.objects.values_list("user__first_name", flat=True)) == [
        "Bolat",
        "Dana",
    ]
    [question, answer] = ProposalComment.objects.order_by("pk")
    assert (question.author, question.reply_to, answer.author, answer.reply_to) == (
        bolat,
        None,
        dana,
        question,
    )
    [picture] = proposal.photos.all()
    assert (picture.kind, picture.caption) == (
        PhotoKind.PROPOSAL,
        "Abai street at six in the evening",
    )
    # the same picture, encoded anew by the portal (proposals.services.prepared_photo)
    with Image.open(picture.image) as stored, Image.open(photo) as sent:
        assert (stored.format, stored.size) == (sent.format, sent.size)
    review = Review.objects.get()
    assert (review.reviewer, review.completed_by, review.deadline) == (
        staff,
        staff,
        DEADLINE,
    )
    assert AkimDecision.objects.get().decision == Decision.APPROVED
    assert str(ImplementationReport.objects.get().amount_spent) == "2250000.00"


def test_a_proposal_is_written_submitted_and_supported_without_javascript(
    new_page, cycle, function, author, neighbours
):
    with time_machine.travel(DAY_IN["proposals_open"], tick=True):
        page = new_page(user=author, javascript=False)
        page.goto(f"/en{PROPOSALS}new/")
        page.get_by_label("Title").fill("A playground by the school")
        page.get_by_label("Description").fill("Children have nowhere to play.")
        page.get_by_label("Area of spending").select_option(
            label="E701 Көшелерді жарықтандыру"
        )
        page.get_by_role("button", name="Save as a draft").click()
        page.wait_for_url(re.compile(r"/proposals/\d+/$"))
        assert status(page) == "draft"
        page.get_by_role("link", name="Submit the proposal").click()
        page.get_by_role("button", name="Yes, submit it").click()
        page.wait_for_url(re.compile(r"/proposals/\d+/$"))
        assert page.get_by_role("status").inner_text() == (
            "Your proposal is submitted and public."
        )
        assert status(page) == "submitted"

        neighbour = new_page(user=neighbours[0], javascript=False)
        neighbour.goto(page.url)
        neighbour.get_by_role("button", name="Support this proposal").click()
        assert neighbour.get_by_role("status").inner_text() == (
            "You support this proposal."
        )
        assert neighbour.get_by_test_id("support-count").inner_text() == "1 supporter"
        assert neighbour.get_by_role("button", name="Take back my support").is_visible()

    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.status, proposal.place.kato_code) == (
        "A playground by the school",
        ProposalStatus.SUBMITTED,
        UNIT,
    )
    assert list(Support.objects.values_list("proposal", "user")) == [
        (proposal.pk, neighbours[0].pk)
    ]
    assert Notification.objects.filter(recipient=author).count() == 0


@pytest.fixture
def gallery(cycle, function, author, neighbours, staff, akim, other_staff, territory):
    """Proposals in every status the pages show, each reached through the services at its
    day: a private draft, one under review, one recommended, one approved with comments
    and reports, one in progress and one implemented; and an empty cycle of a neighbouring
    rural district."""
    bolat, dana = neighbours
    draft_proposal = make_draft(
        cycle, author, function, title="A playground by the school"
    )
    approved = make_submitted(cycle, author, function)
    waiting = make_submitted(
        cycle, bolat, function, title="Benches at the bus stop", address=""
    )
    assessed = make_submitted(
        cycle, bolat, function, title="A pavement to the clinic", cost_estimate=""
    )
    started = make_submitted(cycle, dana, function, title="Lamps in the park")
    done = make_submitted(cycle, dana, function, title="Lamps by the school")
    with time_machine.travel(at(2026, 3, 20), tick=False):
        for neighbour in neighbours:
            services.support_add(proposal=approved, user=neighbour)
        question = services.comment_post(
            proposal=approved,
            author=bolat,
            body="Yes: the children walk to school in the dark.",
        )
        services.comment_post(
            proposal=approved,
            author=dana,
            body="And the bus stop needs a lamp too.",
            reply_to=question,
        )
        services.comment_post(
            proposal=approved, author=staff, body="We will count the poles in April."
        )
        services.content_report(
            proposal=approved, comment=question, reporter=author, reason="Off topic."
        )
    start_review(cycle)
    with time_machine.travel(at(2026, 5, 6), tick=False):
        services.review_assign(proposal=waiting, actor=staff, reviewer=staff)
        for proposal in (approved, assessed, started, done):
            services.review_complete(proposal=proposal, actor=staff, data=ASSESSMENT)
    with time_machine.travel(at(2026, 5, 8), tick=False):
        for proposal in (approved, started, done):
            services.proposal_decide(
                proposal=proposal,
                actor=akim,
                decision="approved",
                reason="Lighting is the first need residents named.",
            )
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = budget_services.draft_create(cycle=cycle, actor=staff)
        budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
        line = draft.lines.get(classification__code="E701")
        for proposal in (started, done):
            services.proposal_include(proposal=proposal, actor=staff, line=line)
    with time_machine.travel(ADOPTION_DAY, tick=False):
        signals.draft_adopted.send(sender=DraftBudget, draft=draft)
    with time_machine.travel(at(2027, 5, 4), tick=False):
        for proposal in (started, done):
            services.proposal_start(proposal=proposal, actor=staff)
        services.proposal_implement(
            proposal=done,
            actor=staff,
            text="Six lamps installed.",
            amount_spent="1800000",
        )
    with time_machine.travel(at(2026, 1, 15), tick=False):
        budget_services.cycle_open(
            unit=territory["other_rural_district"],
            fiscal_year=2027,
            actor=other_staff,
            dates=phase_dates(2027),
        )
    return {
        "draft": draft_proposal,
        "under_review": waiting,
        "recommended": assessed,
        "approved": approved,
        "in_progress": started,
        "implemented": done,
        "reported_comment": question,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_proposals_page_is_accessible(
    language,
    new_page,
    assert_accessible,
    gallery,
    author,
    neighbours,
    staff,
    akim,
    moderator,
):
    proposal = {key: item.pk for key, item in gallery.items()}
    comment = gallery["reported_comment"].pk
    approved, started, done = (
        proposal["approved"],
        proposal["in_progress"],
        proposal["implemented"],
    )
    with time_machine.travel(WORK_DAY, tick=True):
        # One page per person, reused: axe is the slow part.
        pages = {
            "anyone": new_page(),
            "author": new_page(user=author),
            "resident": new_page(user=neighbours[0]),
            "staff": new_page(user=staff),
            "akim": new_page(user=akim),
            "moderator": new_page(user=moderator),
        }
        # Each page, and something that shows it has the content it is checked with.
        for who, path, shown, count in [
            ("anyone", PROPOSALS, ".proposal-card", 5),
            ("anyone", "/units/115645000/budget/2027/proposals/", "p.empty", 1),
            ("resident", f"/units/{UNIT}/proposals/", ".proposal-card", 5),
            ("resident", f"/proposals/{approved}/", "article.comment", 3),
            ("anyone", f"/proposals/{done}/", "[data-testid=amount-spent]", 1),
            ("author", "/proposals/mine/", ".proposal-card", 2),
            ("staff", f"/units/{UNIT}/proposals/queue/", ".tag.overdue", 1),
            ("staff", f"/proposals/{proposal['under_review']}/review/", "form", 2),
            ("akim", f"/proposals/{proposal['recommended']}/decide/", "textarea", 1),
            ("staff", f"/proposals/{approved}/include/", "select option", 3),
            ("staff", f"/proposals/{started}/implement/", "input[type=file]", 3),
            ("resident", f"/proposals/{approved}/report/", "textarea", 1),
            ("moderator", f"/proposals/{approved}/comments/{comment}/moderate/",
             "h2", 1),
            ("moderator", "/moderation/reports/", "tbody tr", 1),
            ("moderator", f"/proposals/{approved}/moderate/", "form", 1),
            ("resident", "/notifications/settings/", "form", 1),
        ]:  # fmt: skip
            page = pages[who]
            response = page.goto(f"/{language}{path}")
            assert response.status == 200, page.url
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator(f"main {shown}").count() == count, (page.url, shown)
            assert_accessible(page)
        page = pages["resident"]
        page.goto(f"/{language}/proposals/{approved}/")
        for shown in ("decision-reason", "assessment", "support-count"):
            expect(page.get_by_test_id(shown)).to_be_visible()

        # Outside the proposals phase the form is refused: the author is sent back.
        page = pages["author"]
        page.goto(f"/{language}{PROPOSALS}new/")
        assert page.url.endswith(PROPOSALS)

    # An act's confirmation page, on a day the act may be done: a draft is submitted
    # while proposals are open (on another day its page sends the author back to it).
    with time_machine.travel(DAY_IN["proposals_open"], tick=True):
        # The create form, and the same sent empty says what each field needs.
        page = pages["author"]
        response = page.goto(f"/{language}{PROPOSALS}new/")
        assert response.status == 200
        assert page.locator("main input[type=file]").count() == 3
        assert_accessible(page)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".usa-error-message")).to_have_count(3)
        assert_accessible(page)
        response = page.goto(f"/{language}/proposals/{proposal['draft']}/submit/")
        assert response.status == 200
        assert page.url.endswith("/submit/")
        assert page.locator("main form").count() == 1
        assert_accessible(page)
        # The author's draft: its edit and withdraw pages; the staff's register form.
        for who, path in [
            ("author", f"/proposals/{proposal['draft']}/edit/"),
            ("author", f"/proposals/{proposal['draft']}/withdraw/"),
            ("staff", f"{PROPOSALS}register/"),
        ]:
            page = pages[who]
            response = page.goto(f"/{language}{path}")
            assert response.status == 200
            assert page.url.endswith(path)
            assert page.locator("main form").count() >= 1
            assert_accessible(page)

    # A comment is edited in the minutes after it is written.
    with time_machine.travel(
        at(2026, 3, 20) + datetime.timedelta(minutes=5), tick=True
    ):
        page = pages["resident"]
        path = f"/proposals/{approved}/comments/{comment}/edit/"
        response = page.goto(f"/{language}{path}")
        assert response.status == 200
        assert page.url.endswith(path)
        assert page.locator("main textarea").count() == 1
        assert_accessible(page)
