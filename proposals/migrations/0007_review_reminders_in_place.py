"""A review's reminder and escalation are written in place: the reviews table keeps half of
each page free (its fillfactor), so that marking every review of the national reminder day
(176,137 at once, a column no index names) writes each changed row beside the old one on
its page (a heap-only tuple) rather than a new entry in each of the table's indexes.

The fillfactor applies to the pages written from now on; `VACUUM FULL proposals_review`
applies it to the rows already there. SQLite has none: nothing to do there."""

from django.db import migrations


def keep_pages_half_free(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE proposals_review SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE proposals_review RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0006_proposal_status_changes_in_place"),
    ]

    operations = [
        migrations.RunPython(keep_pages_half_free, fill_pages, elidable=True),
    ]
