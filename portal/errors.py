"""The one error type for refusals of the domain: a stable code and a message for people.

A code is a member of its app's `ErrorCode` (`<app>/codes.py`), declared once: a refusal
with any other code is a programming error, refused here at once."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise


class DomainError(Exception):
    def __init__(self, code: StrEnum, message: str | Promise) -> None:
        if not isinstance(code, StrEnum):
            raise TypeError(
                f"A refusal's code is a member of its app's ErrorCode, not {code!r}."
            )
        super().__init__(str(message))
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def transition_codes(name: str, prefix: str, statuses) -> type[StrEnum]:
    """The codes of the moves a lifecycle refuses, one for every pair of statuses:
    "<prefix>_<from>_to_<to>", named "<FROM>_TO_<TO>"."""
    return StrEnum(
        name,
        {
            f"{current}_to_{target}".upper(): f"{prefix}_{current}_to_{target}"
            for current in statuses
            for target in statuses
        },
    )


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [str(item) for items in value.values() for item in _messages(items)]
    if isinstance(value, list | tuple):
        return [str(item) for items in value for item in _messages(items)]
    return [str(value)]


def api_exception_handler(exc, context):
    """The API's one exception handler (REST_FRAMEWORK's EXCEPTION_HANDLER): a domain
    refusal is a 400, and every error has one shape: a stable `code`, a `detail` for
    people and, for invalid parameters, `errors` with each parameter's messages."""
    # DRF's views read the settings that name this module: imported when first needed.
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils.translation import gettext
    from rest_framework import exceptions
    from rest_framework.response import Response
    from rest_framework.views import exception_handler, set_rollback

    if isinstance(exc, DomainError):
        set_rollback()
        return Response({"code": exc.code, "detail": str(exc.message)}, status=400)
    # Django's own errors (a view's get_object_or_404, an unknown ?format=) become DRF's
    # here, as DRF's handler does inside itself, so that every error has its code.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        response.data = {
            "code": "invalid",
            "detail": gettext("The request's parameters are not valid."),
            "errors": {str(key): _messages(value) for key, value in detail.items()}
            if isinstance(detail, dict)
            else {"non_field_errors": _messages(detail)},
        }
    else:
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else exc.default_code,
            "detail": " ".join(_messages(exc.detail)),
        }
    return response
