"""Text: data kept in several languages, read in the reader's (one rule for every model),
and what people write, cleaned of what hides or reorders it (one field for every form)."""

from __future__ import annotations

import re

from django import forms
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


# What people write: characters that reorder the text around them (bidirectional
# embeddings, overrides and isolates: "U+202E" shows a title backwards) are removed; a text
# of nothing but characters that show nothing (zero-width spaces and joiners, the word
# joiner, the byte order mark, the soft hyphen, direction marks, fillers) is no text.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff\uffa0]"
)


def written_text(value: str) -> str:
    """The text as written without the characters that reorder it, its ends trimmed;
    empty when nothing in it can be seen."""
    value = BIDI_CONTROLS.sub("", value)
    if not INVISIBLE.sub("", value).strip():
        return ""
    return value.strip()


class TextField(forms.CharField):
    """A text a person writes (a title, a comment, a name, a reason): `written_text`, so
    that a required one made of invisible characters is refused as missing."""

    def to_python(self, value):
        value = super().to_python(value)
        return written_text(value) if value else value
