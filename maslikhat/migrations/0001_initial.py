"""The maslikhat's vote, moved from budgets (its migration 0007): the four models take over
the tables budgets made (db_table kept), with their data; nothing changes in the database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('budgets', '0007_voting_moved_to_maslikhat'),
        ('portal', '0004_notification_preference'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='VotingSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('opens_at', models.DateTimeField(verbose_name='opens at')),
                        ('closes_at', models.DateTimeField(verbose_name='closes at')),
                        ('total_deputies', models.PositiveSmallIntegerField(verbose_name='deputies in the maslikhat')),
                        ('quorum_numerator', models.PositiveSmallIntegerField(verbose_name='quorum: numerator')),
                        ('quorum_denominator', models.PositiveSmallIntegerField(verbose_name='quorum: denominator')),
                        ('majority_numerator', models.PositiveSmallIntegerField(verbose_name='majority: numerator')),
                        ('majority_denominator', models.PositiveSmallIntegerField(verbose_name='majority: denominator')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                        ('outcome', models.CharField(blank=True, choices=[('passed', 'the draft is approved'), ('rejected', 'the draft is not approved and goes back for a new version'), ('no_quorum', 'no quorum: the session is void')], max_length=16, verbose_name='result')),
                        ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminded at')),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voting_sessions', to='portal.administrativeunit', verbose_name='district')),
                        ('draft', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voting_sessions', to='budgets.draftbudget')),
                        ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by')),
                    ],
                    options={
                        'verbose_name': 'voting session',
                        'verbose_name_plural': 'voting sessions',
                        'db_table': 'budgets_votingsession',
                        'ordering': ['-opens_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SessionMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_present', models.BooleanField(verbose_name='present')),
                        ('absence_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for absence')),
                        ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='maslikhat.votingsession')),
                    ],
                    options={
                        'verbose_name': 'member of a session',
                        'verbose_name_plural': 'members of a session',
                        'db_table': 'budgets_sessionmember',
                    },
                ),
                migrations.CreateModel(
                    name='Ballot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('choice', models.CharField(choices=[('for', 'for'), ('against', 'against'), ('abstain', 'abstain')], max_length=8, verbose_name='vote')),
                        ('cast_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='cast at')),
                        ('deputy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ballots', to='maslikhat.votingsession')),
                    ],
                    options={
                        'verbose_name': 'ballot',
                        'verbose_name_plural': 'ballots',
                        'db_table': 'budgets_ballot',
                    },
                ),
                migrations.CreateModel(
                    name='MaslikhatRules',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quorum_numerator', models.PositiveSmallIntegerField(default=2, verbose_name='quorum: numerator')),
                        ('quorum_denominator', models.PositiveSmallIntegerField(default=3, verbose_name='quorum: denominator')),
                        ('majority_numerator', models.PositiveSmallIntegerField(default=1, verbose_name='majority: numerator')),
                        ('majority_denominator', models.PositiveSmallIntegerField(default=2, verbose_name='majority: denominator')),
                        ('district', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='maslikhat_rules', to='portal.administrativeunit', verbose_name='district')),
                    ],
                    options={
                        'verbose_name': 'maslikhat voting rules',
                        'verbose_name_plural': 'maslikhat voting rules',
                        'db_table': 'budgets_maslikhatrules',
                        'constraints': [models.CheckConstraint(condition=models.Q(('quorum_numerator__gt', 0), ('quorum_numerator__lte', models.F('quorum_denominator'))), name='rules_quorum_is_a_fraction'), models.CheckConstraint(condition=models.Q(('majority_numerator__gt', 0), ('majority_numerator__lt', models.F('majority_denominator'))), name='rules_majority_is_a_fraction')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='votingsession',
                    constraint=models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='session_closes_after_opening'),
                ),
                migrations.AddConstraint(
                    model_name='votingsession',
                    constraint=models.UniqueConstraint(condition=models.Q(('closed_at__isnull', True)), fields=('draft',), name='session_one_open_per_draft'),
                ),
                migrations.AddConstraint(
                    model_name='sessionmember',
                    constraint=models.UniqueConstraint(fields=('session', 'deputy'), name='member_once_per_session'),
                ),
                migrations.AddConstraint(
                    model_name='sessionmember',
                    constraint=models.CheckConstraint(condition=models.Q(('is_present', True), models.Q(('absence_reason', ''), _negated=True), _connector='OR'), name='member_absence_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='ballot',
                    constraint=models.UniqueConstraint(fields=('session', 'deputy'), name='ballot_once_per_deputy'),
                ),
            ],
            database_operations=[],
        ),
    ]
