"""What people type and upload, checked before it is saved: texts, amounts of money and
photos."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from budgets.money import AmountProblem, amount_problem
from portal.errors import DomainError
from proposals.codes import ErrorCode
from proposals.models import PHOTO_MAX_BYTES, PHOTOS_MAX, Proposal, ProposalPhoto


def clean_text(value: str, *, code: str, message, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(code, message)
    if len(value) > max_length:
        raise DomainError(
            ErrorCode(f"{code.removesuffix('_empty')}_too_long"),
            _("Write at most %(count)d characters.") % {"count": max_length},
        )
    return value


def clean_money(value, *, code: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(code, _("Write the amount in tenge, a number.")) from None
    if not amount.is_finite():
        raise DomainError(code, _("Write the amount in tenge, a number."))
    problem = amount_problem(amount)
    if problem == AmountProblem.NEGATIVE:
        raise DomainError(code, _("The amount cannot be negative."))
    if problem is not None:
        raise DomainError(
            code, _("Write the amount in tenge with at most two decimal places.")
        )
    return amount


IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def photo_problem(photo: UploadedFile) -> DomainError | None:
    """Why a file is not an acceptable photo: too big, or not a JPEG, PNG or WebP image."""
    from PIL import Image, UnidentifiedImageError

    if photo.size > PHOTO_MAX_BYTES:
        return DomainError(
            ErrorCode.PHOTO_TOO_LARGE,
            _("A photo may be at most %(megabytes)d MB; this one is larger.")
            % {"megabytes": PHOTO_MAX_BYTES // (1024 * 1024)},
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        photo.seek(0)
    if image_format not in IMAGE_FORMATS:
        return DomainError(
            ErrorCode.PHOTO_NOT_AN_IMAGE,
            _("A photo must be a JPEG, PNG or WebP image."),
        )
    return None


def add_photos(
    proposal: Proposal,
    photos: Sequence[UploadedFile],
    *,
    kind: str,
    captions: Sequence[str] = (),
) -> None:
    existing = proposal.photos.filter(kind=kind).count()
    if existing + len(photos) > PHOTOS_MAX:
        raise DomainError(
            ErrorCode.TOO_MANY_PHOTOS,
            _("At most %(count)d photos; remove one before adding another.")
            % {"count": PHOTOS_MAX},
        )
    for photo in photos:
        problem = photo_problem(photo)
        if problem is not None:
            raise problem
    for index, photo in enumerate(photos):
        caption = captions[index].strip()[:200] if index < len(captions) else ""
        ProposalPhoto.objects.create(
            proposal=proposal, kind=kind, image=photo, caption=caption
        )
