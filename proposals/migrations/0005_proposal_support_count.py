"""A proposal's support count kept on the proposal (proposals.services.engagement) rather
than counted per page, with the index of a cycle's list sorted by it. The count is filled
from the supports in one statement; the index is built CONCURRENTLY on PostgreSQL, where
the table is large and read while the migration runs."""

from django.db import migrations, models

INDEX = models.Index(
    fields=["cycle", "-support_count", "-submitted_at", "-id"],
    name="proposal_cycle_support",
)
FILL = """
    UPDATE proposals_proposal SET support_count = (
        SELECT count(*) FROM proposals_support
        WHERE proposals_support.proposal_id = proposals_proposal.id
    )
    WHERE EXISTS (
        SELECT 1 FROM proposals_support
        WHERE proposals_support.proposal_id = proposals_proposal.id
    )
"""


def create_index(apps, schema_editor):
    model = apps.get_model("proposals", "Proposal")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(model, INDEX, concurrently=True)
    else:
        schema_editor.add_index(model, INDEX)


def drop_index(apps, schema_editor):
    model = apps.get_model("proposals", "Proposal")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(model, INDEX, concurrently=True)
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY runs outside a transaction.
    atomic = False

    dependencies = [
        ("proposals", "0004_vote_outcome"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="support_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="supporters"
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="proposal", index=INDEX)],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]
