"""What people write is cleaned in one field for every form (portal.texts.TextField): a
text of invisible characters is no text, characters that reorder a text are removed."""

import pytest

from portal.texts import TextField, written_text

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


@pytest.mark.parametrize(
    "nothing",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u200c\u200d\u2060\ufeff",  # joiners, the word joiner, a byte order mark
        " \u00ad \u200e\u200f ",  # a soft hyphen and direction marks among spaces
        "\u3164\u115f",  # Hangul fillers, shown blank
        RLO + PDF,
        "\n\u200b\t",
    ],
)
def test_a_text_of_nothing_visible_is_no_text(nothing):
    assert written_text(nothing) == ""


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{RLO}txt.exe{PDF}", "txt.exe"),
        (f"Lamps {LRI}on Abai{PDI} street", "Lamps on Abai street"),
        ("  Көше шамдары ₸  ", "Көше шамдары ₸"),
        ("line one\nline two", "line one\nline two"),
        ("a\u200bb", "a\u200bb"),  # an invisible character inside a word stays
    ],
)
def test_reordering_characters_are_removed_and_the_rest_kept(typed, kept):
    assert written_text(typed) == kept


def test_a_required_field_of_invisible_characters_is_refused_as_missing():
    field = TextField(error_messages={"required": "Write a comment first."})

    with pytest.raises(Exception) as refusal:
        field.clean("\u200b\u200b")

    assert refusal.value.messages == ["Write a comment first."]


def test_an_optional_field_of_invisible_characters_is_empty():
    assert TextField(required=False).clean("\u2060\u200b") == ""
