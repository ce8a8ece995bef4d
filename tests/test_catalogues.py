"""Every user-visible string has its Kazakh and Russian translation in the catalogues.

The catalogues are regenerated from the source in a scratch copy, exactly as `make messages`
would, so a string added to the code but not to the catalogues fails here, and so does one
left empty or fuzzy.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    "manage.py",
    "portal",
    "accounts",
    "community",
    "budgets",
    "maslikhat",
    "proposals",
    "votes",
    "templates",
    "locale",
]
ALLAUTH_FLOW = ("account/", "templates/account/", "templates/allauth/", "core/")


def _untranslated(path: Path) -> list[str]:
    catalogue = polib.pofile(str(path))
    return [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("catalogues")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, scratch / name, ignore=shutil.ignore_patterns("*.mo")
            )
        else:
            shutil.copy(source, scratch / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "kk",
            "-l",
            "ru",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=scratch,
        check=True,
    )
    return scratch / "locale"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_project_string_is_translated(regenerated, language):
    missing = _untranslated(regenerated / language / "LC_MESSAGES" / "django.po")

    assert missing == [], f"untranslated in {language}: {missing}"


def test_allauths_sign_up_and_sign_in_strings_are_translated_into_kazakh():
    import allauth

    reference = polib.pofile(
        str(
            Path(allauth.__file__).parent
            / "locale"
            / "ru"
            / "LC_MESSAGES"
            / "django.po"
        )
    )
    used = {
        (entry.msgctxt, entry.msgid)
        for entry in reference
        if not entry.obsolete
        and any(place.startswith(ALLAUTH_FLOW) for place, _ in entry.occurrences)
    }
    ours = polib.pofile(
        str(ROOT / "locale" / "allauth" / "kk" / "LC_MESSAGES" / "django.po")
    )
    translated = {(e.msgctxt, e.msgid) for e in ours.translated_entries()}

    assert sorted(used - translated, key=str) == []
