"""manage.py import_population PATH: populations from a `kato,population,year` table."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal import kato


class Command(BaseCommand):
    help = (
        "Set the population of KATO units from a CSV or XLSX with the columns "
        "kato, population, year. Idempotent; one transaction. A refusal names its row "
        "and reason and imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the table, .csv or .xlsx")

    def handle(self, *args, path: Path, **options):
        try:
            result = kato.import_population(path)
        except kato.ImportFailed as error:
            raise kato.ImportCommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Updated %(updated)d, unchanged %(unchanged)d.")
                % {"updated": result.updated, "unchanged": result.unchanged}
            )
        )
