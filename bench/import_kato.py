"""Time `manage.py import_kato` on the whole real classifier, into a fresh database.

    .venv/bin/python bench/import_kato.py [PATH-TO-SHARED-KATO-CSV]

Without DATABASE_URL (or with a SQLite one) the database is a SQLite file in a temporary
directory; with another DATABASE_URL (PostgreSQL) Django's test-database machinery
creates a fresh database of its own (`bench_import_kato_<pid>`, beside the one in
the URL) and drops it afterwards. The shared copy (shared/data/kato/, 16,264 rows of
`id;parent_id;code;name`) is first converted to the official format (`TE, AB, CD, EF,
HIJ, K, NAME_KAZ, NAME_RUS, NN`, as CSV and as XLSX). Prints, in seconds: the first
import, a second (idempotent) import of the same CSV, an import of the same rows from
XLSX (the cost of reading a spreadsheet; nothing changes), and an import in which every
unit's Kazakh name has changed (the worst case of updating).
"""

import csv
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_KATO = REPO.parent / "shared/data/kato/kato-2022-10-17-ru.csv"
OFFICIAL_HEADER = ["TE", "AB", "CD", "EF", "HIJ", "K", "NAME_KAZ", "NAME_RUS", "NN"]


def official_rows(shared: Path) -> list[list[str]]:
    """The shared copy's rows in the official layout; it has Russian names only."""
    with shared.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    return [
        [c, c[:2], c[2:4], c[4:6], c[6:], "", row["name"], row["name"], ""]
        for row in rows
        for c in [row["code"]]
    ]


def write_official(
    rows: list[list[str]], directory: Path, stem: str = "kato"
) -> tuple[Path, Path]:
    from openpyxl import Workbook

    csv_path = directory / f"{stem}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(OFFICIAL_HEADER)
        writer.writerows(rows)
    xlsx_path = directory / f"{stem}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(OFFICIAL_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


def timed(label: str, path: Path) -> None:
    from django.core.management import call_command
    from django.utils import translation

    out = StringIO()
    started = time.perf_counter()
    with translation.override("en"):
        call_command("import_kato", str(path), stdout=out)
    elapsed = time.perf_counter() - started
    print(f"{label:<34} {elapsed:7.2f} s   {out.getvalue().strip()}")


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_KATO
    if not shared.is_file():
        print(f"The shared KATO copy is missing: {shared}", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="bench-kato-") as tmp:
        directory = Path(tmp)
        url = os.environ.get("DATABASE_URL", "")
        use_test_database = bool(url) and not url.startswith("sqlite")
        if not use_test_database:
            os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        sys.path.insert(0, str(REPO))

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from portal.models import AdministrativeUnit

        rows = official_rows(shared)
        csv_path, xlsx_path = write_official(rows, directory)
        renamed = [[*row[:6], f"{row[6]} (2022)", *row[7:]] for row in rows]
        renamed_path, _ = write_official(renamed, directory, "renamed")

        old_name = None
        if use_test_database:
            old_name = connection.settings_dict["NAME"]
            # Its own name, so that pytest's reused test database is left alone.
            connection.settings_dict["TEST"]["NAME"] = (
                f"bench_import_kato_{os.getpid()}"
            )
            connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
        else:
            call_command("migrate", verbosity=0)
        try:
            print(
                f"{connection.vendor} {connection.settings_dict['NAME']}: "
                f"{len(rows)} rows"
            )
            timed("first import (CSV)", csv_path)
            timed("second import (CSV, idempotent)", csv_path)
            timed("third import (XLSX, idempotent)", xlsx_path)
            timed("fourth import (CSV, all renamed)", renamed_path)
            assert AdministrativeUnit.objects.count() == len(rows)
        finally:
            if use_test_database:
                connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
