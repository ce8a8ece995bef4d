"""Each user chooses, kind by kind, to be told in the site, by e-mail, both or neither."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from portal import notifications, tasks
from portal import services as portal_services
from portal.models import Notification, NotificationPreference
from portal.services import notification_preferences_update, notification_send
from tests.accounts.factories import UserFactory

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=ALMATY)


def choose(user, kind="residency_verified", *, in_app: bool, by_email: bool):
    NotificationPreference.objects.create(
        user=user, kind=kind, in_app=in_app, by_email=by_email
    )


def send(territory, *recipients, kind="residency_verified") -> list[Notification]:
    return notification_send(
        recipients=recipients, kind=kind, unit=territory["village"]
    )


def listed(client, user) -> tuple[list[int], int]:
    """The notices the user's list shows, and the unread count in the header."""
    client.force_login(user)
    response = client.get(reverse("portal:notification_list"))
    unread = response.context["unread_notifications"]
    return [n.pk for n in response.context["page"]], unread + 0


def test_without_a_choice_a_notice_is_shown_and_emailed(
    client, territory, django_capture_on_commit_callbacks
):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        [notice] = send(territory, user)

    assert (notice.in_app, notice.by_email) == (True, True)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert listed(client, user) == ([notice.pk], 1)


def test_a_notice_wanted_in_the_site_only_is_listed_and_never_emailed(
    client, territory, django_capture_on_commit_callbacks
):
    user = UserFactory()
    choose(user, in_app=True, by_email=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [notice] = send(territory, user)

    assert callbacks == []
    assert mail.outbox == []
    assert (notice.in_app, notice.by_email) == (True, False)
    assert listed(client, user) == ([notice.pk], 1)
    # Even a task queued for it by mistake does not send it
    assert tasks.notification_deliver.apply(args=[notice.pk]).get() is False
    assert mail.outbox == []


def test_a_notice_wanted_by_email_only_is_emailed_but_not_listed_nor_counted(
    client, territory, django_capture_on_commit_callbacks
):
    user = UserFactory()
    choose(user, in_app=False, by_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        [notice] = send(territory, user)

    assert [m.subject for m in mail.outbox] == [
        "[Qatysu] Your residence in Ақкөл is confirmed"
    ]
    notice.refresh_from_db()
    assert (notice.in_app, notice.by_email) == (False, True)
    assert notice.emailed_at is not None
    assert listed(client, user) == ([], 0)
    opened = client.post(reverse("portal:notification_open", args=[notice.pk]))
    assert opened.status_code == 404


def test_a_notice_wanted_neither_way_is_not_made(
    territory, django_capture_on_commit_callbacks
):
    user = UserFactory()
    choose(user, in_app=False, by_email=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = send(territory, user)

    assert created == []
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_choice_for_one_kind_leaves_the_others_as_they_were(
    territory, django_capture_on_commit_callbacks
):
    user = UserFactory()
    choose(user, "residency_refused", in_app=False, by_email=False)

    with django_capture_on_commit_callbacks(execute=True):
        [notice] = send(territory, user, kind="residency_verified")

    assert (notice.in_app, notice.by_email) == (True, True)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("size", [4, 40])
def test_a_batch_for_recipients_of_every_choice_costs_two_queries(
    territory, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    # Given recipients a quarter each of: no choice, site only, e-mail only, neither
    users = UserFactory.create_batch(size)
    ways = [None, (True, False), (False, True), (False, False)]
    for index, user in enumerate(users):
        if ways[index % 4] is not None:
            in_app, by_email = ways[index % 4]
            choose(user, in_app=in_app, by_email=by_email)

    # When one notice is sent to each: the preferences, then the insert
    with (
        django_capture_on_commit_callbacks() as callbacks,
        django_assert_num_queries(2),
    ):
        created = send(territory, *users)

    # Then three quarters are made, and half are to be e-mailed
    quarter = size // 4
    assert len(created) == 3 * quarter
    # by tasks queued once the transaction commits, one per hundred
    queued = []
    with mock.patch.object(
        tasks.notifications_deliver, "delay", side_effect=queued.append
    ):
        for callback in callbacks:
            callback()
    assert len(callbacks) == 1
    assert sum(len(batch) for batch in queued) == 2 * quarter
    assert len(queued) == -(-2 * quarter // 100)
    assert sorted(Notification.objects.values_list("in_app", "by_email")) == sorted(
        [(True, True), (True, False), (False, True)] * quarter
    )


def test_an_empty_batch_costs_no_query(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert notification_send(recipients=[], kind="residency_verified") == []


def test_a_broker_down_at_the_commit_keeps_the_notice_for_the_pending_job(
    territory, django_capture_on_commit_callbacks
):
    # Given the broker refuses the task when the transaction commits
    user = UserFactory()
    with (
        time_machine.travel(NOON, tick=False),
        mock.patch.object(
            tasks.notifications_deliver,
            "delay",
            side_effect=OperationalError("broker down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        [notice] = send(territory, user)

    # Then the notice is kept, unsent
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert mail.outbox == []

    # And the safety job sends it ten minutes later
    with time_machine.travel(NOON + datetime.timedelta(minutes=10), tick=False):
        assert tasks.notifications_deliver_pending.delay().get() == 1

    notice.refresh_from_db()
    assert notice.emailed_at == NOON + datetime.timedelta(minutes=10)
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_the_pending_job_queues_only_unsent_notices_to_email_of_the_last_two_days(
    territory, django_capture_on_commit_callbacks
):
    # Given notices whose tasks were lost, made at various times
    site_only, sent_already = UserFactory(), UserFactory()
    choose(site_only, in_app=True, by_email=False)
    made = {}
    for label, when, recipient in [
        ("too old", NOON - datetime.timedelta(days=2), UserFactory()),
        (
            "old",
            NOON - datetime.timedelta(days=2) + datetime.timedelta(minutes=1),
            None,
        ),
        ("ten minutes", NOON - datetime.timedelta(minutes=10), None),
        ("nine minutes", NOON - datetime.timedelta(minutes=9), None),
        ("site only", NOON - datetime.timedelta(hours=1), site_only),
        ("sent", NOON - datetime.timedelta(hours=1), sent_already),
    ]:
        with (
            time_machine.travel(when, tick=False),
            django_capture_on_commit_callbacks(),  # lost: never run
        ):
            [made[label]] = send(territory, recipient or UserFactory())
    tasks.notification_deliver.apply(args=[made["sent"].pk])
    mail.outbox.clear()

    # When the job runs at noon
    with time_machine.travel(NOON, tick=False):
        queued = tasks.notifications_deliver_pending.delay().get()

    # Then it queued the old one and the one of ten minutes ago, and they are sent
    assert queued == 2
    assert sorted(
        Notification.objects.filter(emailed_at=NOON).values_list("pk", flat=True)
    ) == sorted([made["old"].pk, made["ten minutes"].pk])
    assert len(mail.outbox) == 2

    # And a second run finds nothing more to do
    with time_machine.travel(NOON, tick=False):
        assert tasks.notifications_deliver_pending.delay().get() == 0
    assert len(mail.outbox) == 2


def test_the_pending_job_takes_a_bounded_batch_oldest_first(
    territory, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks, "PENDING_DELIVERY_BATCH", 2)
    users = UserFactory.create_batch(3)
    for minutes, user in zip([30, 20, 40], users, strict=True):
        with (
            time_machine.travel(NOON - datetime.timedelta(minutes=minutes), tick=False),
            django_capture_on_commit_callbacks(),
        ):
            send(territory, user)

    with time_machine.travel(NOON, tick=False):
        assert tasks.notifications_deliver_pending.delay().get() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [users[0].email, users[2].email]
    )


def test_the_pending_job_runs_every_ten_minutes():
    from portal.celery import app

    assert app.conf.beat_schedule["portal-notifications-deliver-pending"] == {
        "task": "portal.tasks.notifications_deliver_pending",
        "schedule": 600.0,
    }


def test_the_service_saves_choices_over_earlier_ones_and_ignores_unknown_kinds(db):
    user = UserFactory()
    choose(user, "residency_verified", in_app=False, by_email=False)

    notification_preferences_update(
        user=user,
        choices={
            "residency_verified": (True, False),
            "session_closed": (False, True),
            "no_such_kind": (False, False),
        },
    )

    assert sorted(
        NotificationPreference.objects.filter(user=user).values_list(
            "kind", "in_app", "by_email"
        )
    ) == [("residency_verified", True, False), ("session_closed", False, True)]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in_for_the_settings(client, db, method):
    url = reverse("portal:notification_settings")

    data = {"residency_verified__in_app": "on"} if method == "post" else {}

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
    assert NotificationPreference.objects.count() == 0


def test_the_settings_page_lists_every_kind_with_its_choice(client, db):
    user = UserFactory()
    choose(user, "residency_verified", in_app=True, by_email=False)
    client.force_login(user)

    response = client.get(reverse("portal:notification_settings"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<fieldset class="usa-fieldset">') == len(notifications.KINDS)
    assert '<legend class="usa-legend">Your residency is confirmed</legend>' in page
    assert (
        '<label class="usa-checkbox__label" for="id_residency_verified__by_email">'
        "By e-mail</label>"
    ) in page
    form = response.context["form"]
    assert form["residency_verified__in_app"].value() is True
    assert form["residency_verified__by_email"].value() is False
    assert form["session_closed__in_app"].value() is True
    assert form["session_closed__by_email"].value() is True


def test_the_settings_are_saved_and_the_page_says_so(client, db):
    # Given a user who keeps every box ticked but the e-mail of one kind, and whose
    # browser posts a kind nobody registered
    user = UserFactory()
    client.force_login(user)
    data = {
        f"{kind}__{way}": "on"
        for kind in notifications.KINDS
        for way in ("in_app", "by_email")
    }
    del data["residency_verified__by_email"]
    del data["session_closed__in_app"]
    del data["session_closed__by_email"]
    data["no_such_kind__in_app"] = "on"
    url = reverse("portal:notification_settings")

    # When the form is sent
    response = client.post(url, data)

    # Then the choices are saved, the unknown kind ignored, and the page shown again
    assert response.status_code == 302
    assert response.url == url
    saved = {
        kind: (in_app, by_email)
        for kind, in_app, by_email in NotificationPreference.objects.filter(
            user=user
        ).values_list("kind", "in_app", "by_email")
    }
    assert saved == {
        kind: {
            "residency_verified": (True, False),
            "session_closed": (False, False),
        }.get(kind, (True, True))
        for kind in notifications.KINDS
    }
    shown = client.get(url)
    assert [str(m) for m in shown.context["messages"]] == [
        "Your choice of notifications is saved."
    ]


def test_the_settings_are_linked_from_the_notifications_and_the_profile(client, db):
    client.force_login(UserFactory())
    link = f'href="{reverse("portal:notification_settings")}"'

    for page in ("portal:notification_list", "accounts:profile"):
        assert link in client.get(reverse(page)).content.decode(), page


def test_many_notices_are_emailed_by_one_task_per_batch_each_once(
    territory, django_capture_on_commit_callbacks, monkeypatch
):
    # Given batches of 100 (1,000 in production: portal.services.DELIVERY_BATCH) and
    # 250 residents told at once (a clock job tells thousands)
    monkeypatch.setattr(portal_services, "DELIVERY_BATCH", 100)
    people = UserFactory.create_batch(250)
    queued = []
    real = tasks.notifications_deliver.delay
    with (
        time_machine.travel(NOON, tick=False),
        mock.patch.object(
            tasks.notifications_deliver,
            "delay",
            side_effect=lambda ids: queued.append(ids) or real(ids),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        made = send(territory, *people)

    # Then three tasks were queued, of 100, 100 and 50 notices, in the order made
    assert [len(batch) for batch in queued] == [100, 100, 50]
    assert [pk for batch in queued for pk in batch] == [notice.pk for notice in made]
    # and every resident got one e-mail
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    # and a batch run again sends nothing twice
    assert tasks.notifications_deliver.apply(args=[queued[0]]).get() == 0
    assert len(mail.outbox) == 250
