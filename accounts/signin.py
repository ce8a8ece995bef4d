"""Every sign-in door (the site's, the admin's) under one limiter, django-axes: five wrong
passwords for one account from one address lock that pair for fifteen minutes. The owner
signing in from another address is never kept out, so no one can lock anyone out by
guessing at their account; the pair is reset by a right password."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The client's address (AXES_CLIENT_IP_CALLABLE), by the rule the API's rate limits
    use (DRF's NUM_PROXIES, QATYSU_API_PROXIES): the connection's own address with no
    proxy in front, the one the proxies added behind them; a client cannot name itself."""
    return BaseThrottle().get_ident(request)


def attempted_account(request, credentials: dict | None) -> str:
    """The account a sign-in names, whichever door (AXES_USERNAME_CALLABLE): allauth's
    e-mail, the admin's username (the e-mail too), written in any case."""
    for key in ("email", "username", "login"):
        value = (credentials or {}).get(key) or request.POST.get(key)
        if value:
            return str(value).strip().lower()
    return ""


def locked_out(request, original_response=None, credentials=None):
    """The answer to a locked sign-in (AXES_LOCKOUT_CALLABLE): the site's page, in the
    visitor's language, with how long the pause lasts and the way round it."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "account/locked_out.html", {"minutes": minutes}, status=429)
