"""Drawn parts of public pages kept in the cache, keyed by the version of their unit's data.

Every act is recorded in the audit trail with its unit (portal.services), and recording it
gives the unit a new version: once when it is recorded, so that the request that acted
reads its own act, and again after its transaction commits, so that a page drawn by a
reader who read the data before the commit is never kept under the new version. A kept
fragment's key names the unit's version, the language, the day (a phase turns at midnight
without an act), the release (the templates and catalogues it was drawn with) and the
page's own arguments; a change of any is a new key, and the old entry is dropped after
KEPT_SECONDS, which also bounds how long a change that is not an act (an administrator's
edit in the admin, a new classifier) can go unseen.

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
from django.utils import timezone
from django.utils.translation import get_language

KEPT_SECONDS = 60 * 60
VERSION = "unit-version:"


def units_changed(unit_ids: Iterable[int]) -> None:
    """Give these units new versions now and again when the transaction commits."""
    keys = {f"{VERSION}{pk}" for pk in unit_ids if pk is not None}
    if not keys:
        return

    def renew():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    renew()
    transaction.on_commit(renew)


def unit_version(unit_id: int) -> str:
    key = f"{VERSION}{unit_id}"
    version = cache.get(key)
    if version is None:
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
    """What was drawn under this key, or draw it now and keep it."""
    value = cache.get(fragment_key)
    if value is None:
        value = draw()
        cache.set(fragment_key, value, KEPT_SECONDS)
    return value
