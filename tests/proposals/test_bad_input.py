"""Bad input on proposals: each is refused with its exact reason, by the service and on the
page (400, the message shown, what was typed kept), and nothing is saved or sent."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from budgets import services as budget_services
from budgets.models import ClassificationKind
from portal.models import Level
from proposals import services
from proposals.models import PHOTO_MAX_BYTES, Proposal, ProposalComment, Support
from tests import refusals
from tests.budgets.factories import ClassificationFactory, lines, phase_dates
from tests.portal.factories import UnitFactory
from tests.proposals.conftest import (
    ASSESSMENT,
    BALANCED,
    DAY_IN,
    PROPOSAL_ROWS,
    at,
    make_draft,
    proposal_input,
)

OPEN = DAY_IN["proposals_open"]
COMMENTED_AT = at(2026, 3, 12)
INVALID_CHOICE = (
    "Select a valid choice. That choice is not one of the available choices."
)


def travel(moment):
    return time_machine.travel(moment, tick=False)


def media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def refused(code: str):
    """The block is refused with `code`, and bad input leaves everything as it was: the
    rows of proposals, the audit trail, the notices and the stored files."""
    return refusals.refused(code, *PROPOSAL_ROWS, also=media_files)


def unchanged():
    """The block (a page showing a refusal) leaves everything as it was, as `refused`."""
    return refusals.unchanged(*PROPOSAL_ROWS, also=media_files)


# Photos, made with Pillow.


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (240, 160, 20)).save(buffer, image_format)
    return buffer.getvalue()


def png(name: str = "street.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), "image/png")


def jpeg(name: str = "street.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), "image/jpeg")


def oversized_png() -> SimpleUploadedFile:
    """A real PNG padded with zeros to one byte more than five megabytes."""
    content = image_bytes("PNG")
    content += b"\0" * (PHOTO_MAX_BYTES + 1 - len(content))
    return SimpleUploadedFile("big.png", content, "image/png")


def text_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("x.jpg", b"not a picture, only words", "image/jpeg")


def huge_png(side: int) -> SimpleUploadedFile:
    """A black PNG of side × side pixels: a few kilobytes that decode to gigabytes."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), "image/png")


def truncated_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (10, 200, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("cut.png", buffer.getvalue()[:300], "image/png")


def gif() -> SimpleUploadedFile:
    return SimpleUploadedFile("street.gif", image_bytes("GIF"), "image/gif")


# The places and functions a form may name wrongly, and the proposals the tests act on.


@pytest.fixture
def other_village(territory):
    """A village of the other rural district: outside the unit."""
    return UnitFactory(
        kato_code="115645100",
        level=Level.VILLAGE,
        name_kk="Садовое",
        name_ru="Садовое",
        parent=territory["other_rural_district"],
    )


@pytest.fixture
def revenue(db):
    return ClassificationFactory(kind=ClassificationKind.REVENUE, code="R101")


@pytest.fixture
def own_draft(cycle, resident, function):
    return make_draft(cycle, resident, function)


@pytest.fixture
def comment(submitted, neighbour):
    with travel(COMMENTED_AT):
        return services.comment_post(
            proposal=submitted, author=neighbour, body="Yes, it is dark at night."
        )


@pytest.fixture
def reply(comment, submitted, resident):
    with travel(COMMENTED_AT):
        return services.comment_post(
            proposal=submitted, author=resident, body="Thank you.", reply_to=comment
        )


@pytest.fixture
def in_progress(included, draft, staff):
    with travel(DAY_IN["maslikhat_vote"]):
        services.proposals_fund(draft=draft)
    with travel(at(2027, 6, 1)):
        return services.proposal_start(proposal=included, actor=staff)


@pytest.fixture
def line_of_other_cycle(territory, other_staff, function):
    """An expenditure line of the other rural district's draft for 2027."""
    with travel(at(2026, 1, 15)):
        cycle = budget_services.cycle_open(
            unit=territory["other_rural_district"],
            fiscal_year=2027,
            actor=other_staff,
            dates=phase_dates(2027),
        )
    with travel(DAY_IN["drafting"]):
        draft = budget_services.draft_create(cycle=cycle, actor=other_staff)
        draft = budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=other_staff,
        )
    return draft.lines.get(classification__code="E701")


# Writing a proposal: the service.

BAD_PROPOSALS = {
    "empty_title": (
        lambda given: {"title": ""},
        "title_empty",
        "Give the proposal a title.",
    ),
    "title_of_spaces": (
        lambda given: {"title": "   "},
        "title_empty",
        "Give the proposal a title.",
    ),
    "empty_description": (
        lambda given: {"description": " \n "},
        "description_empty",
        "Describe what should be done and why.",
    ),
    "negative_cost": (
        lambda given: {"cost_estimate": "-1"},
        "cost_invalid",
        "The amount cannot be negative.",
    ),
    "cost_not_a_number": (
        lambda given: {"cost_estimate": "two million"},
        "cost_invalid",
        "Write the amount in tenge, a number.",
    ),
    "cost_not_a_finite_number": (
        lambda given: {"cost_estimate": "NaN"},
        "cost_invalid",
        "Write the amount in tenge, a number.",
    ),
    "cost_with_three_decimals": (
        lambda given: {"cost_estimate": "100.125"},
        "cost_invalid",
        "Write the amount in tenge with at most two decimal places.",
    ),
    "place_in_another_unit": (
        lambda given: {"place": given.other_village},
        "place_outside_unit",
        "Choose a place within Ортақ ауылдық округі.",
    ),
    "revenue_classification": (
        lambda given: {"function": given.revenue},
        "function_not_expenditure",
        "Choose one of the expenditure functions in the list.",
    ),
    "retired_function": (
        lambda given: {"function": ClassificationFactory(code="E799", is_active=False)},
        "function_not_expenditure",
        "Choose one of the expenditure functions in the list.",
    ),
}


@pytest.mark.parametrize("case", BAD_PROPOSALS)
def test_a_bad_proposal_is_refused_by_the_service_and_nothing_is_saved(
    cycle, resident, function, other_village, revenue, case
):
    # Given a verified resident writing a proposal with one bad part
    bad, code, message = BAD_PROPOSALS[case]
    given = SimpleNamespace(other_village=other_village, revenue=revenue)
    data = replace(proposal_input(function, cycle.unit), **bad(given))

    # When they save it
    # Then it is refused with its reason, and nothing is saved
    with travel(OPEN), refused(code) as refusal:
        services.proposal_create(cycle=cycle, author=resident, data=data)
    assert str(refusal.value.message) == message


def test_a_cost_too_large_to_hold_is_refused_not_crashed_on(cycle, resident, function):
    with travel(OPEN), refused("cost_invalid"):
        services.proposal_create(
            cycle=cycle,
            author=resident,
            data=proposal_input(function, cycle.unit, cost_estimate="1e30"),
        )


@pytest.mark.parametrize("case", ["empty_title", "place_in_another_unit"])
def test_a_bad_change_of_a_draft_is_refused_and_the_draft_stays(
    own_draft, resident, function, other_village, revenue, case
):
    bad, code, message = BAD_PROPOSALS[case]
    given = SimpleNamespace(other_village=other_village, revenue=revenue)
    data = replace(proposal_input(function, own_draft.unit), **bad(given))
    with travel(OPEN), refused(code) as refusal:
        services.proposal_update(proposal=own_draft, actor=resident, data=data)
    assert str(refusal.value.message) == message


# Photos: the service.

BAD_PHOTOS = {
    "over_five_megabytes": (
        lambda: [oversized_png()],
        "photo_too_large",
        "A photo may be at most 5 MB; this one is larger.",
    ),
    "text_named_jpg": (
        lambda: [text_named_jpg()],
        "photo_not_an_image",
        "A photo must be a JPEG, PNG or WebP image.",
    ),
    "decompression_bomb": (
        lambda: [huge_png(20_000)],
        "photo_too_many_pixels",
        "This image has too many pixels to be a photo: at most 50 megapixels. Send the "
        "photo as the phone's camera took it.",
    ),
    "ten_thousand_square": (
        lambda: [huge_png(10_000)],
        "photo_too_many_pixels",
        "This image has too many pixels to be a photo: at most 50 megapixels. Send the "
        "photo as the phone's camera took it.",
    ),
    "truncated": (
        lambda: [truncated_png()],
        "photo_not_an_image",
        "A photo must be a JPEG, PNG or WebP image.",
    ),
    "gif": (
        lambda: [gif()],
        "photo_not_an_image",
        "A photo must be a JPEG, PNG or WebP image.",
    ),
    "a_good_one_and_a_bad_one": (
        lambda: [png(), text_named_jpg()],
        "photo_not_an_image",
        "A photo must be a JPEG, PNG or WebP image.",
    ),
    "four_photos": (
        lambda: [png("1.png"), png("2.png"), jpeg("3.jpg"), jpeg("4.jpg")],
        "too_many_photos",
        "At most 3 photos; remove one before adding another.",
    ),
}


@pytest.mark.parametrize("case", BAD_PHOTOS)
def test_bad_photos_are_refused_and_no_file_is_kept(cycle, resident, function, case):
    # Given a proposal with bad photos
    photos, code, message = BAD_PHOTOS[case]

    # When its author saves it
    # Then it is refused with the photo's reason, and neither rows nor files are kept
    with travel(OPEN), refused(code) as refusal:
        services.proposal_create(
            cycle=cycle,
            author=resident,
            data=proposal_input(function, cycle.unit),
            photos=photos(),
        )
    assert str(refusal.value.message) == message


def test_a_photo_beyond_the_third_is_refused_when_changing_a_draft(
    cycle, resident, function
):
    # Given a draft with three photos
    with travel(OPEN):
        proposal = services.proposal_create(
            cycle=cycle,
            author=resident,
            data=proposal_input(function, cycle.unit),
            photos=[png("1.png"), png("2.png"), png("3.png")],
        )

    # When its author adds a fourth
    # Then it is refused and the three stay
    with travel(OPEN), refused("too_many_photos"):
        services.proposal_update(
            proposal=proposal,
            actor=resident,
            data=proposal_input(function, cycle.unit),
            photos=[jpeg()],
        )
    assert proposal.photos.count() == 3


def test_small_png_and_jpeg_photos_are_accepted_and_stored(cycle, resident, function):
    # Given a PNG and a JPEG of a few hundred bytes
    # When a resident saves a proposal with them
    with travel(OPEN):
        proposal = services.proposal_create(
            cycle=cycle,
            author=resident,
            data=proposal_input(function, cycle.unit),
            photos=[png(), jpeg()],
            captions=["The dark street", "The last lamp"],
        )

    # Then both are stored, as photos of the place, with their captions
    photos = list(proposal.photos.order_by("pk"))
    assert [(photo.kind, photo.caption) for photo in photos] == [
        ("proposal", "The dark street"),
        ("proposal", "The last lamp"),
    ]
    assert [Path(photo.image.name).suffix for photo in photos] == [".png", ".jpg"]
    assert media_files() == sorted(photo.image.name for photo in photos)
    with photos[0].image.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (8, 6))
        assert image.convert("RGB").getpixel((0, 0)) == (240, 160, 20)


def stored_from(cycle, author, function, upload) -> tuple[str, bytes]:
    """The suffix and the bytes the portal keeps of one photo sent with a new proposal."""
    with travel(OPEN):
        proposal = services.proposal_create(
            cycle=cycle,
            author=author,
            data=proposal_input(function, cycle.unit),
            photos=[upload],
        )
    photo = proposal.photos.get()
    with photo.image.open("rb") as stored:
        return Path(photo.image.name).suffix, stored.read()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("x.html", "text/html"), ("x.svg", "image/svg+xml"), ("x", "image/png")],
)
def test_a_photo_is_named_by_its_content_and_keeps_nothing_but_the_picture(
    cycle, resident, function, name, content_type
):
    # Given a real PNG with a script appended, named as a web page (a polyglot)
    script = b"<script>alert(document.cookie)</script>"
    upload = SimpleUploadedFile(name, image_bytes("PNG") + script, content_type)

    suffix, content = stored_from(cycle, resident, function, upload)

    # Then it is stored as what it is, a PNG, encoded anew: the script is gone
    assert suffix == ".png"
    assert content.startswith(b"\x89PNG") and script not in content


def test_a_jpeg_named_png_is_stored_as_a_jpeg(cycle, resident, function):
    upload = SimpleUploadedFile("street.png", image_bytes("JPEG"), "image/png")

    suffix, content = stored_from(cycle, resident, function, upload)

    assert suffix == ".jpg"
    assert content.startswith(b"\xff\xd8")


def test_a_photo_loses_its_metadata_and_is_turned_and_shrunk_for_visitors(
    cycle, resident, function
):
    # Given a 6000 × 4000 JPEG held sideways (EXIF orientation 6) with where it was taken
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turned 90° clockwise
    exif[0x8825] = {1: "N", 2: (51.0, 10.0, 0.0)}  # GPS latitude
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 4000), (90, 120, 200)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), "image/jpeg")

    _suffix, content = stored_from(cycle, resident, function, upload)

    # Then it is kept upright, at most 2560 pixels long, with no metadata at all
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (1707, 2560)
        assert not image.getexif()
        assert "exif" not in image.info


# Writing a proposal: the page.


def form_data(function, unit, overrides: dict) -> dict:
    return {
        "title": "Street lights on Abai street",
        "description": "The street is dark in winter; eight lamps are needed.",
        "function": str(function.pk),
        "place": str(unit.pk),
        "address": "Abai street",
        "cost_estimate": "2400000",
    } | overrides


BAD_FORMS = {
    "empty_title": (
        lambda given: {"title": ""},
        "title",
        "Give the proposal a title.",
    ),
    "title_of_spaces": (
        lambda given: {"title": "   "},
        "title",
        "Give the proposal a title.",
    ),
    "empty_description": (
        lambda given: {"description": ""},
        "description",
        "Describe what should be done and why.",
    ),
    "negative_cost": (
        lambda given: {"cost_estimate": "-5"},
        "cost_estimate",
        "An amount cannot be negative.",
    ),
    "cost_not_a_number": (
        lambda given: {"cost_estimate": "12abc"},
        "cost_estimate",
        "Write the amount in tenge as digits, for example 1250000.50.",
    ),
    "cost_with_three_decimals": (
        lambda given: {"cost_estimate": "100.125"},
        "cost_estimate",
        "Tenge have at most two decimal places (tiyn).",
    ),
    "place_in_another_unit": (
        lambda given: {"place": str(given.other_village.pk)},
        "place",
        INVALID_CHOICE,
    ),
    "revenue_classification": (
        lambda given: {"function": str(given.revenue.pk)},
        "function",
        INVALID_CHOICE,
    ),
    "photo_over_five_megabytes": (
        lambda given: {"photo_1": oversized_png()},
        "photo_1",
        "A photo may be at most 5 MB; this one is larger.",
    ),
    "text_named_jpg": (
        lambda given: {"photo_1": text_named_jpg()},
        "photo_1",
        "A photo must be a JPEG, PNG or WebP image.",
    ),
}


@pytest.mark.parametrize("case", BAD_FORMS)
def test_a_bad_proposal_form_is_refused_with_its_reason_and_what_was_typed_stays(
    client, cycle, resident, function, other_village, revenue, case
):
    # Given a resident typing a proposal with one bad field
    bad, field, message = BAD_FORMS[case]
    given = SimpleNamespace(other_village=other_village, revenue=revenue)
    data = form_data(function, cycle.unit, bad(given))

    # When they save it
    with travel(OPEN), unchanged():
        client.force_login(resident)
        response = client.post(
            reverse("proposals:create", args=[cycle.unit.kato_code, 2027]), data
        )

    # Then the field says why, what was typed is on the page, and nothing is saved
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert escape(message) in html
    for name in ("title", "address", "cost_estimate"):
        if name != field and data[name].strip():
            assert f'value="{escape(data[name])}"' in html
    if field != "description":
        assert escape(data["description"]) in html


def test_a_small_png_sent_through_the_form_is_stored_with_its_caption(
    client, cycle, resident, function
):
    with travel(OPEN):
        client.force_login(resident)
        response = client.post(
            reverse("proposals:create", args=[cycle.unit.kato_code, 2027]),
            form_data(
                function,
                cycle.unit,
                {"photo_1": png(), "caption_1": "The dark street"},
            ),
        )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    photo = proposal.photos.get()
    assert (photo.kind, photo.caption) == ("proposal", "The dark street")
    assert media_files() == [photo.image.name]


# Supporting.


def test_support_during_the_review_is_refused_though_the_job_is_late(
    submitted, neighbour
):
    # Given a submitted proposal, the proposals closed, the review not yet started
    # When a resident supports it
    # Then support is closed, and nothing is counted
    with travel(DAY_IN["review"]), refused("support_closed") as refusal:
        services.support_add(proposal=submitted, user=neighbour)
    assert str(refusal.value.message) == (
        "Proposals are supported only while the budget is open for proposals."
    )


def test_support_before_the_proposals_open_is_refused(submitted, neighbour):
    # The phase follows from the date alone: before the proposals open, none is taken
    with travel(DAY_IN["planned"]), refused("support_closed"):
        services.support_add(proposal=submitted, user=neighbour)


def test_taking_back_a_support_after_the_proposals_closed_is_refused(
    submitted, neighbour
):
    with travel(COMMENTED_AT):
        services.support_add(proposal=submitted, user=neighbour)
    with travel(DAY_IN["review"]), refused("support_closed"):
        services.support_withdraw(proposal=submitted, user=neighbour)


def test_support_by_a_resident_of_another_unit_is_refused(client, submitted, outsider):
    # Given a verified resident of another rural district
    # When they support the proposal, by the service and on the page
    # Then the service refuses them as not residents, and nothing changes
    with travel(OPEN), unchanged():
        with refused("not_a_resident"):
            services.support_add(proposal=submitted, user=outsider)
        client.force_login(outsider)
        response = client.post(reverse("proposals:support", args=[submitted.pk]))

    # and the page answers 403 with the reason
    assert response.status_code == 403
    assert (
        escape("Only verified residents of this unit support its proposals.")
        in response.content.decode()
    )


def test_a_second_support_by_the_same_resident_is_refused(client, submitted, neighbour):
    # Given a resident who supports the proposal
    with travel(COMMENTED_AT):
        services.support_add(proposal=submitted, user=neighbour)

    # When they support it again, by the service and on the page
    # Then it is refused, nothing changes, the page says so
    with travel(COMMENTED_AT), unchanged():
        with refused("support_already_given"):
            services.support_add(proposal=submitted, user=neighbour)
        client.force_login(neighbour)
        response = client.post(
            reverse("proposals:support", args=[submitted.pk]), follow=True
        )
    assert response.status_code == 200
    assert "You already support this proposal." in response.content.decode()
    # and the support counts once
    assert Support.objects.filter(proposal=submitted).count() == 1


def test_taking_back_a_support_never_given_is_refused(submitted, neighbour):
    with travel(COMMENTED_AT), refused("support_not_given") as refusal:
        services.support_withdraw(proposal=submitted, user=neighbour)
    assert str(refusal.value.message) == "You do not support this proposal."


# Commenting.


def test_an_empty_comment_is_refused(client, submitted, neighbour):
    with travel(COMMENTED_AT), unchanged():
        with refused("comment_empty") as refusal:
            services.comment_post(proposal=submitted, author=neighbour, body=" \n ")
        client.force_login(neighbour)
        response = client.post(submitted.get_absolute_url(), {"body": "   "})
    assert str(refusal.value.message) == "Write a comment first."
    assert response.status_code == 400
    assert response.context["form"].errors == {"body": ["Write a comment first."]}
    assert "Write a comment first." in response.content.decode()


@pytest.mark.parametrize(
    "nothing", ["\u200b\u200b", "\u2060\ufeff\u200d", "\u202e\u202c"]
)
def test_a_comment_of_invisible_characters_is_refused_as_empty(
    client, submitted, neighbour, nothing
):
    with travel(COMMENTED_AT), unchanged():
        client.force_login(neighbour)
        response = client.post(submitted.get_absolute_url(), {"body": nothing})
    assert response.status_code == 400
    assert response.context["form"].errors == {"body": ["Write a comment first."]}


def test_a_comment_is_saved_without_the_characters_that_reorder_it(
    client, submitted, neighbour
):
    with travel(COMMENTED_AT):
        client.force_login(neighbour)
        client.post(submitted.get_absolute_url(), {"body": "Good \u202eidea\u202c!"})
    assert submitted.comments.get().body == "Good idea!"


def test_a_reply_to_a_reply_is_refused(client, submitted, neighbour, comment, reply):
    # Given a comment and a reply to it
    # When someone replies to the reply, by the service and on the page
    # Then it is refused and nothing changes
    with travel(COMMENTED_AT), unchanged():
        with refused("reply_to_reply") as refusal:
            services.comment_post(
                proposal=submitted, author=neighbour, body="Agreed.", reply_to=reply
            )
        client.force_login(neighbour)
        response = client.post(
            submitted.get_absolute_url(), {"body": "Agreed.", "reply_to": reply.pk}
        )

    # and the page says to reply to the comment, the text stays
    message = "Reply to the comment itself, not to a reply."
    assert str(refusal.value.message) == message
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    html = response.content.decode()
    assert message in html
    assert ">\nAgreed.</textarea>" in html


def test_a_comment_is_edited_for_fifteen_minutes_and_not_after(
    client, submitted, neighbour, comment
):
    # Given a comment written at noon
    # When its author edits it at 12:15 exactly, it changes
    with travel(COMMENTED_AT + datetime.timedelta(minutes=15)):
        services.comment_edit(comment=comment, actor=neighbour, body="Very dark.")

    # When they edit it a second later, by the service and on the page
    # Then it is refused and nothing changes
    with (
        travel(COMMENTED_AT + datetime.timedelta(minutes=15, seconds=1)),
        unchanged(),
    ):
        with refused("comment_edit_expired") as refusal:
            services.comment_edit(comment=comment, actor=neighbour, body="Pitch dark.")
        client.force_login(neighbour)
        response = client.post(
            reverse("proposals:comment_edit", args=[submitted.pk, comment.pk]),
            {"body": "Pitch dark."},
        )

    # and the page says why and keeps the new text; the comment stays
    message = "A comment can be edited for 15 minutes after it is written."
    assert str(refusal.value.message) == message
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    html = response.content.decode()
    assert message in html
    assert ">\nPitch dark.</textarea>" in html
    comment.refresh_from_db()
    assert comment.body == "Very dark."


def test_a_comment_cannot_be_emptied_by_editing(neighbour, comment):
    with travel(COMMENTED_AT), refused("comment_empty"):
        services.comment_edit(comment=comment, actor=neighbour, body="  ")


# The form takes 4,000 characters at most; the services hold the same bound for any
# other caller.
COMMENT_MAX = 4000


@pytest.mark.parametrize("act", ["post", "reply", "edit"])
def test_a_comment_over_4000_characters_is_refused_by_the_service(
    submitted, neighbour, comment, act
):
    # Given a text one character longer than a comment may be
    body = "ы" * (COMMENT_MAX + 1)

    # When a resident posts it, replies with it, or edits their comment to it, through
    # the service (the page's form would not let it through)
    # Then it is refused with its code and reason, and nothing is saved
    with travel(COMMENTED_AT), refused("comment_too_long") as refusal:
        if act == "edit":
            services.comment_edit(comment=comment, actor=neighbour, body=body)
        else:
            services.comment_post(
                proposal=submitted,
                author=neighbour,
                body=body,
                reply_to=comment if act == "reply" else None,
            )
    assert str(refusal.value.message) == "Write at most 4000 characters."


def test_a_comment_of_exactly_4000_characters_is_taken(submitted, neighbour, comment):
    # Given a text as long as a comment may be, between spaces
    body = "ы" * COMMENT_MAX

    # When a resident posts it and edits their earlier comment to it
    with travel(COMMENTED_AT):
        posted = services.comment_post(
            proposal=submitted, author=neighbour, body=f"  {body}\n"
        )
        services.comment_edit(comment=comment, actor=neighbour, body=body)

    # Then both are saved, whole, the spaces around dropped
    assert list(
        ProposalComment.objects.filter(pk__in=[comment.pk, posted.pk])
        .order_by("pk")
        .values_list("body", flat=True)
    ) == [body, body]


def test_editing_someone_elses_comment_is_forbidden(
    client, submitted, resident, comment
):
    # Given a comment of the neighbour
    # When the proposal's author edits it, by the service and on the page
    # Then the service refuses a non-author, and nothing changes
    with travel(COMMENTED_AT), unchanged():
        with refused("not_the_author"):
            services.comment_edit(comment=comment, actor=resident, body="Ha.")
        client.force_login(resident)
        url = reverse("proposals:comment_edit", args=[submitted.pk, comment.pk])
        page = client.get(url)
        response = client.post(url, {"body": "Ha."})

    # and the page answers 403 with the reason
    assert page.status_code == 403
    assert response.status_code == 403
    assert "Only the author of a comment edits it." in response.content.decode()


# Reporting and moderating.


def test_reporting_the_same_proposal_twice_is_refused(client, submitted, neighbour):
    # Given a resident who reported the proposal
    with travel(COMMENTED_AT):
        services.content_report(
            proposal=submitted, reporter=neighbour, reason="Insults the akim."
        )

    # When they report it again, by the service and on the page
    # Then it is refused and nothing changes
    with travel(COMMENTED_AT), unchanged():
        with refused("already_reported") as refusal:
            services.content_report(
                proposal=submitted, reporter=neighbour, reason="Still insulting."
            )
        client.force_login(neighbour)
        response = client.post(
            reverse("proposals:report", args=[submitted.pk]),
            {"reason": "Still insulting."},
        )

    # and the page says a moderator will look, the text stays
    message = "You have already reported this; a moderator will look at it."
    assert str(refusal.value.message) == message
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    html = response.content.decode()
    assert escape(message) in html
    assert ">\nStill insulting.</textarea>" in html


def test_reporting_the_same_comment_twice_is_refused(submitted, resident, comment):
    with travel(COMMENTED_AT):
        services.content_report(
            proposal=submitted, comment=comment, reporter=resident, reason="Spam."
        )
    with travel(COMMENTED_AT), refused("already_reported"):
        services.content_report(
            proposal=submitted, comment=comment, reporter=resident, reason="Spam."
        )


def test_a_report_without_a_reason_is_refused(client, submitted, neighbour):
    with travel(COMMENTED_AT), unchanged():
        with refused("report_reason_empty") as refusal:
            services.content_report(proposal=submitted, reporter=neighbour, reason="  ")
        client.force_login(neighbour)
        response = client.post(
            reverse("proposals:report", args=[submitted.pk]), {"reason": " "}
        )
    message = "Say what is abusive in it."
    assert str(refusal.value.message) == message
    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": [message]}
    assert message in response.content.decode()


def test_hiding_without_a_reason_is_refused(client, submitted, comment, moderator):
    # Given a moderator of the region
    # When they hide the proposal or a comment with no reason
    # Then both are refused, and nothing is hidden
    with travel(COMMENTED_AT), unchanged():
        with refused("moderation_reason_empty") as proposal_refusal:
            services.proposal_hide(proposal=submitted, actor=moderator, reason="")
        with refused("moderation_reason_empty") as comment_refusal:
            services.comment_hide(comment=comment, actor=moderator, reason="  ")
        client.force_login(moderator)
        response = client.post(
            reverse("proposals:moderate", args=[submitted.pk]), {"reason": " "}
        )

    # and the page asks for the reason
    message = "Give the reason; it is shown in place of the content."
    assert [
        str(refusal.value.message) for refusal in (proposal_refusal, comment_refusal)
    ] == [message, message]
    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": [message]}
    assert message in response.content.decode()


# The review and the decision.


def assessment(**overrides) -> services.AssessmentInput:
    values = {
        "assessment": ASSESSMENT.assessment,
        "is_within_competence": ASSESSMENT.is_within_competence,
        "reasons": ASSESSMENT.reasons,
        "feasibility": ASSESSMENT.feasibility,
        "assessed_cost": ASSESSMENT.assessed_cost,
    }
    return services.AssessmentInput(**(values | overrides))


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        pytest.param(
            {"reasons": "  "},
            "reasons_empty",
            "Give the reasons for the assessment; residents read them.",
            id="no_reasons",
        ),
        pytest.param(
            {"is_within_competence": False},
            "recommended_outside_competence",
            "A proposal outside the competence of the unit's akim cannot be "
            "recommended for its budget.",
            id="recommended_outside_competence",
        ),
        pytest.param(
            {"assessment": "maybe"},
            "assessment_invalid",
            "Choose recommended or not recommended.",
            id="no_such_assessment",
        ),
        pytest.param(
            {"assessed_cost": "-1"},
            "cost_invalid",
            "The amount cannot be negative.",
            id="negative_cost",
        ),
    ],
)
def test_a_bad_assessment_is_refused_by_the_service(
    under_review, staff, overrides, code, message
):
    with travel(at(2026, 5, 6)), refused(code) as refusal:
        services.review_complete(
            proposal=under_review, actor=staff, data=assessment(**overrides)
        )
    assert str(refusal.value.message) == message


def review_form(**overrides) -> dict:
    return {
        "assess": "1",
        "assessment": "recommended",
        "is_within_competence": "yes",
        "assessed_cost": "2300000",
        "feasibility": "Can be done in one summer.",
        "reasons": "Within the akim's competence.",
    } | overrides


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"reasons": " "},
            "reasons",
            "Give the reasons for the assessment; residents read them.",
            id="no_reasons",
        ),
        pytest.param(
            {"is_within_competence": "no"},
            "__all__",
            "A proposal outside the competence of the unit's akim cannot be "
            "recommended for its budget.",
            id="recommended_outside_competence",
        ),
    ],
)
def test_a_bad_assessment_form_is_refused_with_its_reason(
    client, under_review, staff, overrides, field, message
):
    # Given staff assessing a proposal under review, with one thing wrong
    data = review_form(**overrides)

    # When they publish the assessment
    with travel(at(2026, 5, 6)), unchanged():
        client.force_login(staff)
        response = client.post(
            reverse("proposals:review", args=[under_review.pk]), data
        )

    # Then the page says why, keeps what was typed, and nothing is published
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert escape(message) in html
    assert "Can be done in one summer." in html
    assert 'value="2300000"' in html


def test_a_decision_without_a_reason_is_refused(client, recommended, akim):
    # Given the akim deciding on a recommended proposal
    # When they approve it with no reason, by the service and on the page
    # Then nothing is decided
    with travel(at(2026, 5, 8)), unchanged():
        with refused("reason_empty") as refusal:
            services.proposal_decide(
                proposal=recommended, actor=akim, decision="approved", reason="  "
            )
        client.force_login(akim)
        response = client.post(
            reverse("proposals:decide", args=[recommended.pk]),
            {"decision": "approved", "reason": " ", "confirm": "on"},
        )

    # and the reason is asked for, the choice stays made
    message = "Give the reason for the decision; it is published."
    assert str(refusal.value.message) == message
    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": [message]}
    html = response.content.decode()
    assert message in html
    assert re.search(r'<input[^>]*value="approved"[^>]*checked', html)


def test_a_decision_that_is_neither_approval_nor_rejection_is_refused(
    recommended, akim
):
    with travel(at(2026, 5, 8)), refused("decision_invalid"):
        services.proposal_decide(
            proposal=recommended, actor=akim, decision="postponed", reason="Later."
        )


# Including in the budget.


def test_including_in_a_revenue_line_is_refused(client, approved, draft, staff):
    # Given an approved proposal and the revenue line R101 of the cycle's draft
    line = draft.lines.get(classification__code="R101")

    # When staff include it there, by the service and on the page
    # Then the service refuses a revenue line, and nothing changes
    with travel(DAY_IN["drafting"]), unchanged():
        with refused("line_not_expenditure") as refusal:
            services.proposal_include(proposal=approved, actor=staff, line=line)
        client.force_login(staff)
        response = client.post(
            reverse("proposals:include", args=[approved.pk]), {"line": line.pk}
        )

    # and the page does not offer it
    assert str(refusal.value.message) == (
        "A proposal can be included only in an expenditure line."
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"line": [INVALID_CHOICE]}


def test_including_in_a_line_of_another_cycle_is_refused(
    client, approved, staff, line_of_other_cycle
):
    with travel(DAY_IN["drafting"]), unchanged():
        with refused("line_of_other_cycle") as refusal:
            services.proposal_include(
                proposal=approved, actor=staff, line=line_of_other_cycle
            )
        client.force_login(staff)
        response = client.post(
            reverse("proposals:include", args=[approved.pk]),
            {"line": line_of_other_cycle.pk},
        )
    assert str(refusal.value.message) == "Choose a line of this budget's draft."
    assert response.status_code == 400
    assert response.context["form"].errors == {"line": [INVALID_CHOICE]}


# Reporting the work done.


@pytest.mark.parametrize(
    ("text", "amount", "code", "message"),
    [
        pytest.param(
            " ",
            "2250000",
            "report_empty",
            "Describe the work that was done.",
            id="no_text",
        ),
        pytest.param(
            "Eight lamps installed.",
            None,
            "amount_invalid",
            "Give the amount spent, in tenge.",
            id="no_amount",
        ),
        pytest.param(
            "Eight lamps installed.",
            "",
            "amount_invalid",
            "Give the amount spent, in tenge.",
            id="empty_amount",
        ),
        pytest.param(
            "Eight lamps installed.",
            "-5",
            "amount_invalid",
            "The amount cannot be negative.",
            id="negative_amount",
        ),
        pytest.param(
            "Eight lamps installed.",
            "a lot",
            "amount_invalid",
            "Write the amount in tenge, a number.",
            id="amount_not_a_number",
        ),
    ],
)
def test_a_bad_implementation_report_is_refused_by_the_service(
    in_progress, staff, text, amount, code, message
):
    with travel(at(2027, 6, 1)), refused(code) as refusal:
        services.proposal_implement(
            proposal=in_progress,
            actor=staff,
            text=text,
            amount_spent=amount,
            photos=[png()],
        )
    assert str(refusal.value.message) == message


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {"text": "", "amount_spent": ""},
            {
                "text": ["Describe the work that was done."],
                "amount_spent": ["Give the amount spent, in tenge."],
            },
            id="nothing",
        ),
        pytest.param(
            {"text": "Eight lamps installed.", "amount_spent": "-5"},
            {"amount_spent": ["An amount cannot be negative."]},
            id="negative_amount",
        ),
        pytest.param(
            {"text": "Eight lamps installed.", "amount_spent": "", "photo_1": "png"},
            {"amount_spent": ["Give the amount spent, in tenge."]},
            id="photo_but_no_amount",
        ),
    ],
)
def test_a_bad_implementation_form_is_refused_and_what_was_typed_stays(
    client, in_progress, staff, data, errors
):
    if data.get("photo_1") == "png":
        data = data | {"photo_1": png()}
    with travel(at(2027, 6, 1)), unchanged():
        client.force_login(staff)
        response = client.post(
            reverse("proposals:implement", args=[in_progress.pk]), data
        )
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    html = response.content.decode()
    for messages in errors.values():
        assert escape(messages[0]) in html
    if data["text"]:
        assert f">\n{data['text']}</textarea>" in html
    if data["amount_spent"]:
        assert f'value="{data["amount_spent"]}"' in html
