"""The paper ballots entered before the papers' numbers were recorded keep no number:
which paper each was marked on was never written down, and no number can be made up for
it now. They are marked as such, the one kind of paper ballot the constraint of 0005
lets through without a paper."""

from django.db import migrations


def mark_unnumbered(apps, schema_editor):
    Ballot = apps.get_model("votes", "Ballot")
    Ballot.objects.filter(channel="paper", paper__isnull=True).update(
        predates_paper_numbers=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("votes", "0003_ballot_papers"),
    ]

    operations = [
        migrations.RunPython(mark_unnumbered, migrations.RunPython.noop, elidable=True),
    ]
