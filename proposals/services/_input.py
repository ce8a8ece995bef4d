"""What people type and upload, checked before it is saved: texts, amounts of money and
photos."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
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
# A photo of a street from any phone (50 megapixels and under); more is no photo but a
# decompression bomb, refused before it is decoded.
PHOTO_MAX_PIXELS = 50_000_000
# What a visitor downloads: the longer side at most this, enough for any screen.
PHOTO_LONG_SIDE = 2560
_SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85, "method": 4},
}


def _not_an_image() -> DomainError:
    return DomainError(
        ErrorCode.PHOTO_NOT_AN_IMAGE, _("A photo must be a JPEG, PNG or WebP image.")
    )


def _too_many_pixels() -> DomainError:
    return DomainError(
        ErrorCode.PHOTO_TOO_MANY_PIXELS,
        _(
            "This image has too many pixels to be a photo: at most %(megapixels)d "
            "megapixels. Send the photo as the phone's camera took it."
        )
        % {"megapixels": PHOTO_MAX_PIXELS // 1_000_000},
    )


def prepared_photo(photo: UploadedFile) -> ContentFile:
    """The photo as the portal keeps it, or DomainError with the reason.

    The format is the one found in the content, never the name the sender gave (a PNG
    named "x.html" is stored as a PNG); the pixels are decoded under a limit, turned as
    the camera held them, shrunk to PHOTO_LONG_SIDE and encoded anew, so that nothing
    but the picture is kept: no appended script, no metadata (the place it was taken)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if photo.size > PHOTO_MAX_BYTES:
        raise DomainError(
            ErrorCode.PHOTO_TOO_LARGE,
            _("A photo may be at most %(megabytes)d MB; this one is larger.")
            % {"megabytes": PHOTO_MAX_BYTES // (1024 * 1024)},
        )
    photo.seek(0)
    try:
        # Pillow warns of an image over its own limit (89 megapixels), far above ours:
        # the warning is a refusal here (the workers are processes, not threads).
        with (
            warnings.catch_warnings(
                action="error", category=Image.DecompressionBombWarning
            ),
            Image.open(photo) as image,
        ):
            image_format = image.format
            if image_format not in IMAGE_FORMATS:
                raise _not_an_image()
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise _too_many_pixels()
            image.seek(0)  # an animated image: its first frame
            image.load()
            picture = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image() from None
    finally:
        photo.seek(0)
    picture.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
    picture = _in_a_mode_for(picture, image_format)
    encoded = io.BytesIO()
    picture.save(encoded, format=image_format, **_SAVE_OPTIONS[image_format])
    return ContentFile(encoded.getvalue(), name=f"photo.{IMAGE_FORMATS[image_format]}")


def _in_a_mode_for(picture, image_format: str):
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    if image_format == "JPEG":
        return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    if picture.mode in ("RGB", "RGBA", "L", "LA", "P", "1") and image_format == "PNG":
        return picture
    return picture.convert("RGBA" if has_alpha else "RGB")


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
    prepared = [prepared_photo(photo) for photo in photos]
    for index, photo in enumerate(prepared):
        caption = captions[index].strip()[:200] if index < len(captions) else ""
        ProposalPhoto.objects.create(
            proposal=proposal, kind=kind, image=photo, caption=caption
        )
