"""Indexes of the proposals list, measured by bench/proposals.py: a cycle's proposals
newest first, and on PostgreSQL the full-text search."""

from django.db import migrations, models

# The vector of a proposal's title and description in the Russian and the simple
# dictionaries; proposals.selectors.search_vector() calls it and the GIN index holds it.
# PL/pgSQL, so that PostgreSQL does not inline it: its COST tells the planner what
# computing the vector row by row costs (0.1-0.3 ms a proposal). Rated at 100, as
# to_tsvector is, the planner filtered a cycle's rows one by one rather than read the
# index: 2.8 s to search a cycle of 10,000 proposals, 50-100 ms with the index.
CREATE_SEARCH = [
    """
    CREATE OR REPLACE FUNCTION proposal_search_vector(title text, description text)
    RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10000 AS $$
    BEGIN
        RETURN to_tsvector(
            'russian'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '')
        ) || to_tsvector(
            'simple'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '')
        );
    END
    $$
    """,
    "CREATE INDEX proposal_search ON proposals_proposal "
    "USING gin (proposal_search_vector(title, description))",
]
DROP_SEARCH = [
    "DROP INDEX IF EXISTS proposal_search",
    "DROP FUNCTION IF EXISTS proposal_search_vector(text, text)",
]


def create_search_index(apps, schema_editor):
    # SQLite searches the folded `search_text` instead (proposals.selectors).
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SEARCH:
            schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SEARCH:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["cycle", "submitted_at"], name="proposal_cycle_time"
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
