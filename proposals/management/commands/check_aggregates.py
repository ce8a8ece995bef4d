"""Compare every figure the portal keeps rather than counts (a proposal's support count)
with a recount from the rows; exit with status 1 on any difference, after listing it.
--repair sets the wrong ones to the recount."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from proposals import selectors, services

SHOWN = 20


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="set each wrong figure to the recount"
        )

    def handle(self, *args, repair: bool, **options):
        differences = list(selectors.support_count_differences())
        for pk, kept, counted in differences[:SHOWN]:
            self.stdout.write(
                _("Proposal %(pk)s: %(kept)s supporters kept, %(counted)s counted.")
                % {"pk": pk, "kept": kept, "counted": counted}
            )
        if not differences:
            self.stdout.write(_("Every kept figure matches its recount."))
            return
        if repair:
            repaired = services.support_counts_repair()
            self.stdout.write(
                ngettext(
                    "%(count)s support count set to its recount.",
                    "%(count)s support counts set to their recount.",
                    repaired,
                )
                % {"count": repaired}
            )
            return
        raise CommandError(
            ngettext(
                "%(count)s support count differs from its recount.",
                "%(count)s support counts differ from their recount.",
                len(differences),
            )
            % {"count": len(differences)}
        )
