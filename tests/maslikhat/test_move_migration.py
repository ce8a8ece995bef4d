"""The vote moved from budgets to the maslikhat with its tables and data (migrations budgets
0007 and maslikhat 0001 change no table), and maslikhat 0002 carries over what named the
vote's models or pages by their old app: the audit trail's content types and the links of
notices already sent. Tried on a copy of the demo with a vote held on top of it: taken
back to the old names, then forward again."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from maslikhat.models import Ballot, MaslikhatRules, SessionMember, VotingSession
from portal.models import AuditEvent, Notification
from tests.budgets.factories import seed_classification
from tests.concurrency import seeded_rows_kept
from tests.maslikhat.factories import ballots_cast, session_open

BEFORE = [("maslikhat", "0001_initial")]
AFTER = [("maslikhat", "0002_content_types_and_links")]
MODELS = (VotingSession, SessionMember, Ballot, MaslikhatRules)


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def app_of_each_model() -> dict[str, str]:
    return dict(
        ContentType.objects.filter(
            # (The residents' vote has a ballot of its own.)
            app_label__in=("budgets", "maslikhat"),
            model__in=[model._meta.model_name for model in MODELS],
        ).values_list("model", "app_label")
    )


@pytest.fixture(scope="module")
def seeded(django_db_blocker):
    with seeded_rows_kept(django_db_blocker):
        yield


@pytest.fixture
def voted_on_the_demo(seeded, transactional_db, submitted, chairman, maslikhat):
    """The demo, and a closed session on the rural district's draft: its audit events
    point at the session, its notices link to the roll call."""
    seed_classification()
    call_command("load_demo", stdout=StringIO())
    session = session_open(submitted, chairman)
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat])
    MaslikhatRules.objects.create(district=session.district)
    ContentType.objects.get_for_models(*MODELS)
    return session


def session_events(session) -> list[tuple[str, str]]:
    return sorted(
        (event.verb, event.target_type.app_label)
        for event in AuditEvent.objects.filter(
            target_id=str(session.pk), target_type__model="votingsession"
        ).select_related("target_type")
    )


def test_the_old_names_go_back_and_come_forward_with_every_event_and_link(
    voted_on_the_demo,
):
    session = voted_on_the_demo
    # (The demo's own sessions, on its drafts, are carried over as well: their notices
    # are among the others, which come back as they were.)
    links = {
        notice.pk: notice.get_absolute_url()
        for notice in Notification.objects.filter(url_name__startswith="maslikhat:")
        if notice.url_kwargs == {"pk": session.pk}
    }
    others = list(
        Notification.objects.exclude(pk__in=links).values_list("pk", "url_name")
    )
    events = AuditEvent.objects.filter(target_type__model="votingsession").count()
    sessions = set(VotingSession.objects.all())
    assert len(sessions) == 1 + 3  # this one and the demo's
    assert len(links) == 10 + 2  # the deputies told of the opening; staff and akim
    assert set(links.values()) == {reverse("maslikhat:roll_call", args=[session.pk])}

    # When the data is taken back to how budgets stored it
    migrate(BEFORE)

    # Then the content types and the links have their old names
    assert app_of_each_model() == dict.fromkeys(
        ("votingsession", "sessionmember", "ballot", "maslikhatrules"), "budgets"
    )
    assert set(
        Notification.objects.filter(pk__in=links).values_list("url_name", flat=True)
    ) == {"budgets:roll_call"}

    # And when the migration runs forward on it
    migrate(AFTER)

    # Then every content type is the maslikhat's, the same rows as before
    assert app_of_each_model() == dict.fromkeys(
        ("votingsession", "sessionmember", "ballot", "maslikhatrules"), "maslikhat"
    )
    # And the audit trail still points at the session
    assert session_events(session) == [
        ("ballot.cast", "maslikhat"),
    ] * 10 + [("session.closed", "maslikhat"), ("session.opened", "maslikhat")]
    assert {
        event.target for event in AuditEvent.objects.filter(verb__startswith="session.")
    } == sessions
    # And every notice leads where it led, and nothing else changed
    assert {
        notice.pk: notice.get_absolute_url()
        for notice in Notification.objects.filter(pk__in=links)
    } == links
    assert (
        list(Notification.objects.exclude(pk__in=links).values_list("pk", "url_name"))
        == others
    )

    # And where a migrate that stopped in between made the maslikhat's content type
    # anew beside the old one, the old one's events move to it and the old one goes
    migrate(BEFORE)
    new = ContentType.objects.create(app_label="maslikhat", model="votingsession")

    migrate(AFTER)

    assert ContentType.objects.filter(model="votingsession").get() == new
    assert {
        event.target for event in AuditEvent.objects.filter(verb__startswith="session.")
    } == sessions
    assert AuditEvent.objects.filter(target_type=new).count() == events
