"""Drawn parts of public pages kept in the cache, keyed by the version of their unit's data.

Every act is recorded in the audit trail with its unit (portal.services), and recording it
gives the unit a new version: once when it is recorded, so that the request that acted
reads its own act, and again after its transaction commits, so that a page drawn by a
reader who read the data before the commit is never kept under the new version. A kept
fragment's key names the unit's version, the language, the day (a phase turns at midnight
without an act), the release (the templates and catalogues it was drawn with) and the
page's own arguments; a change of any is a new key, and the old entry is dropped after
KEPT_SECONDS. What changes pages without an act of the audit trail (a new classifier,
an administrator's edit in the admin: portal.handlers) renews the version of everything
(`everything_changed`), which every key names too; anything else written beside the
services is seen within KEPT_SECONDS.

A version lost from the cache (evicted, flushed) is replaced by a new one: nothing kept
under the old one is read again."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from render_block import render_block_to_string

KEPT_SECONDS = 60 * 60
VERSION = "unit-version:"
# The version of what every page reads beside its unit's data: the classifier's names
# (import_kato) and whatever an administrator changes in the admin.
EVERYTHING = "unit-version:all"


def units_changed(unit_ids: Iterable[int]) -> None:
    """Give these units new versions now and again when the transaction commits."""
    keys = {f"{VERSION}{pk}" for pk in unit_ids if pk is not None}
    if not keys:
        return

    def renew():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    renew()
    transaction.on_commit(renew)


def everything_changed() -> None:
    """Draw every kept page again (a new classifier, an administrator's edit)."""
    units_changed(["all"])


def unit_version(unit_id: int) -> str:
    """The unit's version and that of everything, in one read of the cache."""
    keys = [EVERYTHING, f"{VERSION}{unit_id}"]
    found = cache.get_many(keys)
    return ".".join(found.get(key) or _version_new(key) for key in keys)


def _version_new(key: str) -> str:
    version = secrets.token_hex(8)
    # Another reader may have set it first: theirs is the one kept and read back.
    if not cache.add(key, version, timeout=None):
        version = cache.get(key, version)
    return version


@once
def release() -> str:
    """A digest of the templates and compiled catalogues this process draws with: a new
    release never reads what an older one drew."""
    digest = hashlib.sha256()
    roots = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    roots += [Path(p) for p in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".mo"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key(unit_id: int, name: str, *parts) -> str:
    """The key of a page's fragment drawn from the unit's data as it is now."""
    arguments = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return ":".join(
        [
            "fragment",
            release(),
            name,
            str(unit_id),
            unit_version(unit_id),
            get_language() or "",
            timezone.localdate().isoformat(),
            arguments,
        ]
    )


def kept(fragment_key: str, draw: Callable[[], object]) -> object:
    """What was drawn under this key, or draw it now and keep it (drawn each time when
    pages are not kept: settings.QATYSU_KEEP_PAGES)."""
    if not settings.QATYSU_KEEP_PAGES:
        return draw()
    value = cache.get(fragment_key)
    if value is None:
        value = draw()
        cache.set(fragment_key, value, KEPT_SECONDS)
    return value


def visitor_page(request, template_name: str, context, *, unit_id: int, parts=()):
    """A public page for a visitor's GET: its template's title and content blocks drawn
    once per change of the unit's data (and per path, language, day and `parts`) and
    kept; `context` is called only to draw them. Anyone signed in, or posting, gets
    the page drawn for them by the view itself."""

    def draw():
        values = context()
        return {
            block: render_block_to_string(template_name, block, values, request)
            for block in ("title", "content")
        }

    drawn = kept(key(unit_id, template_name, request.path, *parts), draw)
    return render(request, "kept_page.html", {"drawn": drawn})


def is_visitor_read(request) -> bool:
    """A GET by someone not signed in: the pages they read may be kept."""
    return request.method == "GET" and not request.user.is_authenticated
