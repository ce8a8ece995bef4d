"""Folding of Kazakh and Russian names for search, so that 'Ақкөл', 'акколь' and 'АККОЛ' meet.

The database's own case folding cannot be relied on for Cyrillic (SQLite folds ASCII only), so
names are folded here, once on save, and the query text the same way.
"""

import re

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
