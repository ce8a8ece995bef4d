"""manage.py import_population PATH: populations from a `kato,population,year` CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import kato


class Command(BaseCommand):
    help = (
        "Set the population of KATO units from a CSV with the header "
        "kato,population,year. Idempotent; one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the CSV file")

    def handle(self, *args, path: Path, **options):
        try:
            result = kato.import_population(path)
        except kato.ImportFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Updated %(updated)d, unchanged %(unchanged)d.")
                % {"updated": result.updated, "unchanged": result.unchanged}
            )
        )
