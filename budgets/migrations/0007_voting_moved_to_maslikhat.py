"""The maslikhat's vote moved to the maslikhat app (its migration 0001): budgets forgets the
four models, and their tables stay as they are, with their data, for the maslikhat."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0006_execution'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='maslikhatrules',
                    name='district',
                ),
                migrations.RemoveField(
                    model_name='sessionmember',
                    name='deputy',
                ),
                migrations.RemoveField(
                    model_name='sessionmember',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='votingsession',
                    name='district',
                ),
                migrations.RemoveField(
                    model_name='votingsession',
                    name='draft',
                ),
                migrations.RemoveField(
                    model_name='votingsession',
                    name='opened_by',
                ),
                migrations.DeleteModel(
                    name='Ballot',
                ),
                migrations.DeleteModel(
                    name='MaslikhatRules',
                ),
                migrations.DeleteModel(
                    name='SessionMember',
                ),
                migrations.DeleteModel(
                    name='VotingSession',
                ),
            ],
            database_operations=[],
        ),
    ]
