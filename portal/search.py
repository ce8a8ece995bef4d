"""Folding of Kazakh and Russian names for search, so that 'Ақкөл', 'акколь' and 'АККОЛ' meet,
and the Latin spellings of a query ('Aqköl', 'Akkol') written in Cyrillic.

The database's own case folding cannot be relied on for Cyrillic (SQLite folds ASCII only), so
names are folded here, once on save, and the query text the same way.
"""

import re
import unicodedata

# Kazakh letters fold to their nearest Russian letter: a resident without a Kazakh keyboard
# types 'Акколь' for 'Ақкөл'. Ё and the soft and hard signs fold away the usual spelling noise.
_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "ъ": "",
        "ь": "",
        "-": " ",
        "‐": " ",
        "–": " ",
        "—": " ",
        ".": " ",
        "«": " ",
        "»": " ",
        '"': " ",
    }
)
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACES.sub(" ", text.casefold().translate(_FOLD)).strip()


def index_text(*parts: str) -> str:
    # A line break cannot be typed into a search (normalize folds it to a space), so a
    # query never matches across two names.
    return "\n".join(normalize(part) for part in parts if part)


# Latin as residents type a place's name: the Kazakh Latin alphabet of 2021 ('Qatarköl',
# 'Jañaarqa', 'Baiqoñyr') and the usual Russian romanisations ('Zlatopolye', 'Shchuchinsk').
# No transliteration library is installed, and the common ones (transliterate, cyrtranslit)
# know Russian but not Kazakh Latin, so the table is ours. Digraphs are read first, longest
# first; 'y' and 'i' after a vowel are 'й', as in 'Baykonyr' and 'Baiqoñyr'.
_LATIN_DIGRAPHS = (
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("gh", "ғ"),
    ("ya", "я"),
    ("ye", "е"),
    ("yo", "ё"),
    ("yu", "ю"),
)
_LATIN_LETTERS = {
    "a": "а",
    "ä": "ә",
    "b": "б",
    "c": "ц",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "ğ": "ғ",
    "h": "х",
    "ı": "і",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ñ": "ң",
    "o": "о",
    "ö": "ө",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ū": "ұ",
    "ü": "ү",
    "v": "в",
    "w": "у",
    "x": "кс",
    "y": "ы",
    "z": "з",
    # The soft sign of a romanisation, which folding drops anyway.
    "'": "",
    "’": "",
    "ʼ": "",
}
_VOWELS = frozenset("аәеёиіоөуұүыэюя")


def cyrillic(text: str) -> str:
    """The Latin letters of `text` written in Cyrillic; everything else as it is."""
    # casefold writes a capital dotted 'İ' as 'i' and a combining dot.
    text = unicodedata.normalize("NFC", text.casefold()).replace("\u0307", "")
    written: list[str] = []
    position = 0
    while position < len(text):
        for latin, letter in _LATIN_DIGRAPHS:
            if text.startswith(latin, position):
                written.append(letter)
                position += len(latin)
                break
        else:
            char = text[position]
            after_vowel = bool(written) and written[-1][-1:] in _VOWELS
            if char in "iy" and after_vowel:
                written.append("й")
            else:
                written.append(_LATIN_LETTERS.get(char, char))
            position += 1
    return "".join(written)


def needles(text: str) -> list[str]:
    """What a query looks for in the folded index: its text, and its text in Cyrillic
    when it has Latin letters."""
    found = []
    for needle in (normalize(text), normalize(cyrillic(text))):
        if needle and needle not in found:
            found.append(needle)
    return found
