"""Data kept in several languages, read in the reader's: one rule for every model."""

from __future__ import annotations

from django.utils.translation import get_language

STATE_LANGUAGE = "kk"


def in_reader_language(
    obj, field: str, languages: tuple[str, ...] = ("kk", "ru")
) -> str:
    """`obj.<field>_<language>` in the reader's language when the data is kept in it, else
    in Kazakh, the state language (the English pages show a place's Kazakh name)."""
    language = (get_language() or STATE_LANGUAGE)[:2]
    if language not in languages:
        language = STATE_LANGUAGE
    return getattr(obj, f"{field}_{language}")
