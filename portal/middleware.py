"""Guards before any view reads a request: its size, and control characters.

A request larger than QATYSU_MAX_REQUEST_BYTES is refused from its Content-Length,
before its body is read (the front, nginx, refuses it first in production: the limit is
set in both). One guard for every address, query and form: control characters never
reach a view.

A NUL byte in a KATO code, a search or a form's value used to reach PostgreSQL, which
refuses it (a server error); no other control character belongs in an address or a form
either. A tab, a line feed and a carriage return are text (a comment's lines) and pass.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def _any_in(data) -> bool:
    return any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in data.lists()
    )


class RequestSizeGuard:
    """A request whose body is larger than the portal takes: 413 with the reason, its
    body never read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        limit = settings.QATYSU_MAX_REQUEST_BYTES
        if size <= limit:
            return self.get_response(request)
        reason = _(
            "What you sent is larger than the portal takes (%(megabytes)d MB at most): "
            "nothing was saved. Send fewer or smaller photos."
        ) % {"megabytes": limit // (1024 * 1024)}
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "too_large", "detail": reason}, status=413)
        return render(request, "400.html", {"reason": reason}, status=413)


class ControlCharactersGuard:
    """An address with a control character names no page: 404. A page's query or a form
    with one is refused with the reason (400) before any view reads it, so nothing
    changes; no person types one, only a tampered request holds one. The API's
    parameters are its filters' to refuse, each error naming its parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        if has_control_characters(request.path):
            if is_api:
                return JsonResponse(
                    {"code": "not_found", "detail": _("The API has no such address.")},
                    status=404,
                )
            raise Http404
        if is_api:
            return self.get_response(request)
        in_form = request.method == "POST" and _any_in(request.POST)
        if _any_in(request.GET) or in_form:
            return self._refused(request, in_form=in_form)
        return self.get_response(request)

    @staticmethod
    def _refused(request, *, in_form: bool):
        if in_form:
            reason = _(
                "The form holds an invisible control character (such as a NUL byte) "
                "that no text may contain: nothing was saved. Go back, retype the text "
                "and send it again."
            )
        else:
            reason = _(
                "The address holds an invisible control character (such as a NUL byte) "
                "that no search or filter may contain. Retype it or start again from "
                "the home page."
            )
        return render(request, "400.html", {"reason": reason}, status=400)
