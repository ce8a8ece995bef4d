"""Recount a residents' vote from its published `.pb` file (or any pabulib file): the same
counting code the portal uses, so that anyone can check a published result.

    python manage.py vote_tally PATH.pb [--rule RULE]

prints the selected projects' ids, one a line, in the order they were selected. A file
that is not a pabulib vote, or a rule it cannot be counted by, is refused with the line
at fault and exit status 2.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from votes.counting import pabulib, rules


class Command(BaseCommand):
    help = (
        "Recount a pabulib .pb vote file: print the ids of the selected projects, one "
        "a line, under the rule its META names or the one given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .pb file")
        parser.add_argument(
            "--rule",
            choices=rules.RULES,
            help="count by this rule instead of the one the file's META names",
        )

    def handle(self, *args, path: str, rule: str | None, **options):
        try:
            election = pabulib.read_path(path)
            outcome = rules.tally(election, rule)
        except OSError as error:
            return self._refuse(f"{path}: {error.strerror or error}")
        except UnicodeDecodeError:
            return self._refuse(f"{path}: the file is not UTF-8 text.")
        except pabulib.PabulibError as error:
            return self._refuse(f"{path}: {error}")
        except rules.RuleError as error:
            return self._refuse(f"{path}: {error}")
        for project_id in outcome.selected_ids(election):
            self.stdout.write(project_id)
        return None

    def _refuse(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)
