"""manage.py import_kato PATH: import the KATO classifier, CSV or XLSX, in one go."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal import kato


class Command(BaseCommand):
    help = (
        "Import the KATO classifier as the Bureau of National Statistics publishes it "
        "(CSV or XLSX with the columns TE, AB, CD, EF, HIJ, K, NAME_KAZ, NAME_RUS, "
        "NN): creates and updates units, inferring their level and parent. Idempotent; "
        "one transaction. A refusal names its row and reason and imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the classifier, .csv or .xlsx")

    def handle(self, *args, path: Path, **options):
        try:
            result = kato.import_classifier(path)
        except kato.ImportFailed as error:
            raise kato.ImportCommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(created)d, updated %(updated)d, unchanged %(unchanged)d.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )
