"""A residency claim confirmed by an SMS code to the number the household register gives
for the claimant, where the akim turned the channel on: the code (right, wrong, expired,
exhausted, used, replaced), the limits per number and per address, the HTTP gateway's
contract against the local fake, who may do what, and the audit."""

import datetime
import re

import pytest
import sms
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.codes import ErrorCode
from accounts.models import (
    CodePurpose,
    ResidencyStatus,
    Role,
    TextCode,
    UnitVerification,
)
from accounts.register import register_rows
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.accounts.factories import (
    MembershipFactory,
    ResidencyFactory,
    UserFactory,
    make_iin,
)
from tests.accounts.test_register import csv_file
from tests.portal.test_sms import gateway  # noqa: F401  (the local fake gateway)

ANNA, BOLAT, CHINGIZ = make_iin(201), make_iin(202), make_iin(203)
ANNA_PHONE, CHINGIZ_PHONE = "+77011234545", "+77021112233"


def _register(territory, staff):
    unit = territory["rural_district"]
    village = territory["village"].kato_code
    text = (
        "IIN;KATO;Street;House;Flat;Phone\n"
        f"{ANNA};{village};Абай;12;;+7 701 123 45 45\n"
        f"{BOLAT};{village};Абай;14;3;\n"
        f"{CHINGIZ};{village};Абай;16;;8 702 111 22 33\n"
    )
    services.register_import(
        unit=unit,
        actor=staff,
        rows=register_rows(csv_file(text), unit),
        filename="register.csv",
    )


def _pending(territory, iin, place=None):
    return ResidencyFactory(
        user=UserFactory(with_iin=True, iin=iin),
        place=place or territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    )


@pytest.fixture
def akim(territory):
    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def sms_on(territory, staff, akim):
    _register(territory, staff)
    services.verification_channels_set(
        unit=territory["rural_district"], actor=akim, by_register=False, by_sms=True
    )


@pytest.fixture
def claim(territory, sms_on):
    return _pending(territory, ANNA)


def _code_sent(index: int = -1) -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[index].body).group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _refused(call, code: ErrorCode) -> DomainError:
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.code == code
    return refused.value


# The channel.


def test_the_akim_turns_sms_on_beside_the_register_on_the_same_page(
    client, territory, akim
):
    client.force_login(akim)
    url = reverse(
        "accounts:verification_channels", args=[territory["rural_district"].kato_code]
    )

    response = client.post(url, {"by_sms": "on"})

    assert response.status_code == 302
    channels = UnitVerification.objects.get(unit=territory["rural_district"])
    assert (channels.by_register, channels.by_sms, channels.changed_by) == (
        False,
        True,
        akim,
    )
    event = AuditEvent.objects.get(verb="verification.channels_set")
    assert (event.actor, event.details) == (
        akim,
        {"by_register": False, "by_sms": True},
    )


@pytest.mark.parametrize("who", ["staff", "other_staff", "resident", "other_akim"])
def test_only_the_units_akim_turns_sms_on(client, territory, who, request):
    if who == "other_akim":
        user = MembershipFactory(
            role=Role.AKIM, unit=territory["other_rural_district"]
        ).user
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse(
        "accounts:verification_channels", args=[territory["rural_district"].kato_code]
    )

    response = client.post(url, {"by_sms": "on"})

    assert response.status_code == 403
    assert not UnitVerification.objects.filter(
        unit=territory["rural_district"]
    ).exists()
    assert not AuditEvent.objects.filter(verb="verification.channels_set").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, territory):
    url = reverse(
        "accounts:verification_channels", args=[territory["rural_district"].kato_code]
    )
    assert client.post(url, {"by_sms": "on"}).status_code == 302
    assert not UnitVerification.objects.exists()


# The code.


def test_the_right_code_confirms_the_claim_through_the_sms_channel(claim):
    record = services.residency_code_send(
        residency=claim, user=claim.user, address="10.0.0.1"
    )

    assert [(message.recipients, message.originator) for message in sms.outbox] == [
        ([ANNA_PHONE], "Qatysu")
    ]
    code = _code_sent()
    assert sms.outbox[0].body == (
        f"Qatysu code: {code}. Valid for 10 minutes. Never tell it to anyone."
    )
    # Kept hashed, never in clear.
    assert code not in record.code_digest
    assert (record.phone, record.purpose, record.residency) == (
        ANNA_PHONE,
        CodePurpose.RESIDENCY,
        claim,
    )

    services.residency_code_check(residency=claim, user=claim.user, code=code)

    claim.refresh_from_db()
    assert (claim.status, claim.channel, claim.decided_by) == ("verified", "sms", None)
    record.refresh_from_db()
    assert record.used_at is not None
    verified = AuditEvent.objects.get(verb="residency.verified")
    assert (verified.actor, verified.details) == (
        claim.user,
        {"channel": "sms", "phone": "+7 701 *** ** 45"},
    )
    sent = AuditEvent.objects.get(verb="residency.code_sent")
    assert (sent.actor, sent.details) == (claim.user, {"phone": "+7 701 *** ** 45"})
    assert list(
        Notification.objects.filter(recipient=claim.user).values_list("kind", flat=True)
    ) == ["residency_verified"]


def test_a_wrong_code_counts_and_changes_nothing_else(claim):
    services.residency_code_send(residency=claim, user=claim.user)

    refused = _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=_wrong(_code_sent())
        ),
        ErrorCode.CODE_WRONG,
    )

    assert str(refused.message) == "The code is not right. 4 tries are left."
    assert TextCode.objects.get().attempts == 1
    claim.refresh_from_db()
    assert (claim.status, claim.channel) == ("pending", "")
    assert not AuditEvent.objects.filter(verb="residency.verified").exists()


def test_the_fifth_wrong_try_spends_the_code_and_the_right_one_is_then_refused(claim):
    services.residency_code_send(residency=claim, user=claim.user)
    code = _code_sent()
    for _ in range(4):
        _refused(
            lambda: services.residency_code_check(
                residency=claim, user=claim.user, code=_wrong(code)
            ),
            ErrorCode.CODE_WRONG,
        )
    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=_wrong(code)
        ),
        ErrorCode.CODE_EXHAUSTED,
    )

    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=code
        ),
        ErrorCode.CODE_EXHAUSTED,
    )
    assert TextCode.objects.get().attempts == 5
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_a_code_expires_after_ten_minutes(claim):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.residency_code_send(residency=claim, user=claim.user)
        clock.shift(60 * 10 + 1)

        _refused(
            lambda: services.residency_code_check(
                residency=claim, user=claim.user, code=_code_sent()
            ),
            ErrorCode.CODE_EXPIRED,
        )

    claim.refresh_from_db()
    assert claim.status == "pending"


def test_a_code_entered_within_its_ten_minutes_confirms(claim):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.residency_code_send(residency=claim, user=claim.user)
        clock.shift(60 * 10 - 1)
        services.residency_code_check(
            residency=claim, user=claim.user, code=_code_sent()
        )

    claim.refresh_from_db()
    assert claim.status == "verified"


def test_a_new_code_replaces_the_earlier_one(claim):
    services.residency_code_send(residency=claim, user=claim.user)
    first = _code_sent()
    services.residency_code_send(residency=claim, user=claim.user)
    second = _code_sent()
    if first == second:  # one chance in a million: nothing to tell apart
        return

    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=first
        ),
        ErrorCode.CODE_WRONG,
    )
    services.residency_code_check(residency=claim, user=claim.user, code=second)
    claim.refresh_from_db()
    assert claim.status == "verified"


def test_a_used_code_is_not_taken_again(territory, sms_on):
    claim = _pending(territory, ANNA)
    services.residency_code_send(residency=claim, user=claim.user)
    code = _code_sent()
    services.residency_code_check(residency=claim, user=claim.user, code=code)

    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=code
        ),
        ErrorCode.RESIDENCY_NOT_PENDING,
    )
    # Nor for a number, whose code outlives no claim.
    user = claim.user
    services.mobile_code_send(user=user, number="+7 705 000 11 22")
    mobile_code = _code_sent()
    services.mobile_code_check(user=user, code=mobile_code)
    _refused(
        lambda: services.mobile_code_check(user=user, code=mobile_code),
        ErrorCode.CODE_USED,
    )
    assert AuditEvent.objects.filter(verb="residency.verified").count() == 1


def test_a_code_never_asked_is_refused(claim):
    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code="123456"
        ),
        ErrorCode.CODE_NOT_ASKED,
    )


def test_without_the_akims_choice_no_code_is_sent(territory, staff):
    _register(territory, staff)
    claim = _pending(territory, ANNA)

    _refused(
        lambda: services.residency_code_send(residency=claim, user=claim.user),
        ErrorCode.SMS_CHANNEL_OFF,
    )

    assert (sms.outbox, TextCode.objects.count()) == ([], 0)
    assert not AuditEvent.objects.filter(verb="residency.code_sent").exists()


def test_a_code_sent_before_the_akim_turned_sms_off_no_longer_confirms(
    territory, claim, akim
):
    services.residency_code_send(residency=claim, user=claim.user)
    services.verification_channels_set(
        unit=territory["rural_district"], actor=akim, by_register=False, by_sms=False
    )

    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=_code_sent()
        ),
        ErrorCode.SMS_CHANNEL_OFF,
    )
    claim.refresh_from_db()
    assert claim.status == "pending"


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        (make_iin(299), ErrorCode.SMS_NOT_IN_REGISTER),
        (BOLAT, ErrorCode.SMS_NO_REGISTER_NUMBER),
    ],
)
def test_a_claimant_not_in_the_register_or_without_its_number_gets_no_code(
    territory, sms_on, iin, code
):
    claim = _pending(territory, iin)

    _refused(
        lambda: services.residency_code_send(residency=claim, user=claim.user), code
    )

    assert (sms.outbox, TextCode.objects.count()) == ([], 0)


def test_a_claim_to_another_settlement_than_the_registers_gets_no_code(
    territory, sms_on
):
    claim = _pending(territory, ANNA, place=territory["rural_district"])

    _refused(
        lambda: services.residency_code_send(residency=claim, user=claim.user),
        ErrorCode.SMS_NOT_IN_REGISTER,
    )
    assert sms.outbox == []


def test_nobody_asks_a_code_for_someone_elses_claim(claim, resident):
    _refused(
        lambda: services.residency_code_send(residency=claim, user=resident),
        ErrorCode.RESIDENCY_NOT_CLAIMANT,
    )
    assert sms.outbox == []


# The limits, counted in fixed windows: the clock is stopped at a moment well inside
# an hour and a day.


@pytest.fixture
def clock():
    moment = datetime.datetime(2026, 3, 2, 9, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


def test_a_number_gets_three_codes_an_hour_and_five_a_day(client, claim, clock):
    client.force_login(claim.user)
    url = reverse("accounts:residency_code", args=[claim.pk])
    answers = [client.post(url, {"send": "1"}).status_code for _ in range(4)]
    clock.shift(3600)
    answers += [client.post(url, {"send": "1"}).status_code for _ in range(3)]

    assert answers == [302, 302, 302, 429, 302, 302, 429]
    assert len(sms.outbox) == 5
    assert TextCode.objects.count() == 5


def test_the_refusal_says_when_to_try_again(client, claim, settings, clock):
    settings.QATYSU_SMS_CODES_PER_NUMBER_HOUR = 1
    client.force_login(claim.user)
    url = reverse("accounts:residency_code", args=[claim.pk])
    client.post(url, {"send": "1"})

    response = client.post(url, {"send": "1"})

    assert response.status_code == 429
    # Stopped at 9:10, the hour's window ends in 50 minutes.
    assert (
        "Too many codes were asked for this number or from this connection. Try "
        "again in 50 minutes."
    ) in response.content.decode()
    assert len(sms.outbox) == 1


def test_one_address_asks_ten_codes_an_hour_whatever_the_numbers(
    client, territory, sms_on, settings, clock
):
    settings.QATYSU_SMS_CODES_PER_ADDRESS_HOUR = 2
    answers = []
    for iin in (ANNA, CHINGIZ):
        claim = _pending(territory, iin)
        client.force_login(claim.user)
        url = reverse("accounts:residency_code", args=[claim.pk])
        answers += [
            client.post(url, {"send": "1"}, REMOTE_ADDR="10.1.1.1").status_code
            for _ in range(2 if iin == ANNA else 1)
        ]
    other_address = client.post(url, {"send": "1"}, REMOTE_ADDR="10.1.1.2")

    assert answers == [302, 302, 429]
    assert other_address.status_code == 302
    assert [message.recipients for message in sms.outbox] == [
        [ANNA_PHONE],
        [ANNA_PHONE],
        [CHINGIZ_PHONE],
    ]


def test_one_person_asks_no_more_codes_a_day_whatever_the_numbers(
    territory, settings, clock
):
    settings.QATYSU_SMS_CODES_PER_PERSON_DAY = 2
    user = UserFactory()
    for number in ("+7 701 000 00 01", "+7 701 000 00 02"):
        services.mobile_code_send(user=user, number=number)

    _refused(
        lambda: services.mobile_code_send(user=user, number="+7 701 000 00 03"),
        ErrorCode.SMS_RATE_LIMITED,
    )
    assert len(sms.outbox) == 2
    clock.shift(86400)
    services.mobile_code_send(user=user, number="+7 701 000 00 03")
    assert len(sms.outbox) == 3


def test_a_code_sent_to_a_number_the_register_no_longer_gives_does_not_confirm(
    territory, staff, claim
):
    services.residency_code_send(residency=claim, user=claim.user)
    code = _code_sent()
    unit = territory["rural_district"]
    village = territory["village"].kato_code
    services.register_import(
        unit=unit,
        actor=staff,
        rows=register_rows(
            csv_file(
                "IIN;KATO;Street;House;Flat;Phone\n"
                f"{ANNA};{village};Абай;12;;+7 705 999 88 77\n"
            ),
            unit,
        ),
        filename="register.csv",
    )

    _refused(
        lambda: services.residency_code_check(
            residency=claim, user=claim.user, code=code
        ),
        ErrorCode.CODE_EXPIRED,
    )
    claim.refresh_from_db()
    assert claim.status == ResidencyStatus.PENDING


# The gateway (portal.sms.HttpSmsBackend) against the local fake.


@pytest.fixture
def http_gateway(settings, gateway):  # noqa: F811
    settings.SMS_BACKEND = "portal.sms.HttpSmsBackend"
    settings.QATYSU_SMS_URL = gateway.url
    settings.QATYSU_SMS_KEY = "the-key"
    settings.QATYSU_SMS_TIMEOUT = settings.QATYSU_SMS_CODE_TIMEOUT = 0.3
    settings.QATYSU_SMS_RETRIES = 1
    return gateway


def test_a_code_taken_by_the_gateway_is_posted_once_with_the_key(claim, http_gateway):
    http_gateway.answers = [(200, 0, {})]

    services.residency_code_send(residency=claim, user=claim.user)

    [received] = http_gateway.received
    assert received["authorization"] == "Bearer the-key"
    assert received["json"]["to"] == ANNA_PHONE
    code = re.search(r"\d{6}", received["json"]["text"]).group(0)
    services.residency_code_check(residency=claim, user=claim.user, code=code)
    claim.refresh_from_db()
    assert claim.status == "verified"


def test_a_gateway_that_fails_once_is_tried_again(claim, http_gateway):
    http_gateway.answers = [(503, 0, {}), (200, 0, {})]

    services.residency_code_send(residency=claim, user=claim.user)

    assert len(http_gateway.received) == 2
    assert TextCode.objects.count() == 1


def test_a_rate_limited_gateway_is_waited_for_as_it_asks(claim, http_gateway):
    http_gateway.answers = [(429, 0, {"Retry-After": "0"}), (200, 0, {})]

    services.residency_code_send(residency=claim, user=claim.user)

    assert len(http_gateway.received) == 2
    assert TextCode.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "status", "posts", "message"),
    [
        ([(400, 0, {})], 400, 1, "The SMS operator refused to send a code"),
        ([(200, 1.0, {})], 503, 2, "the SMS service does not answer"),
        ([(429, 0, {"Retry-After": "0"})], 503, 2, "the SMS service does not answer"),
        ([(503, 0, {})], 503, 2, "the SMS service does not answer"),
    ],
    ids=["refused", "timed-out", "rate-limited", "down"],
)
def test_a_code_the_gateway_did_not_take_leaves_nothing_and_spends_no_limit(
    client, claim, http_gateway, settings, clock, answers, status, posts, message
):
    settings.QATYSU_SMS_CODES_PER_NUMBER_HOUR = 1
    http_gateway.answers = answers
    client.force_login(claim.user)
    url = reverse("accounts:residency_code", args=[claim.pk])

    response = client.post(url, {"send": "1"})

    assert response.status_code == status
    assert message in response.content.decode()
    assert len(http_gateway.received) == posts
    assert TextCode.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="residency.code_sent").exists()
    # The failure spent none of the number's one code an hour.
    http_gateway.answers = [(200, 0, {})]
    assert client.post(url, {"send": "1"}).status_code == 302
    assert TextCode.objects.count() == 1


# The pages and who may use them.


def test_the_claimant_confirms_from_the_pages_without_javascript(client, claim):
    client.force_login(claim.user)
    profile = client.get(reverse("accounts:profile")).content.decode()
    url = reverse("accounts:residency_code", args=[claim.pk])
    assert 'data-testid="confirm-by-sms"' in profile

    page = client.get(url).content.decode()
    sent = client.post(url, {"send": "1"}, follow=True).content.decode()
    wrong = client.post(url, {"code": _wrong(_code_sent())})
    right = client.post(url, {"code": _code_sent()})

    assert "+7 701 *** ** 45" in page
    assert "1234545" not in page
    assert "A code was sent by SMS to +7 701 *** ** 45." in sent
    assert wrong.status_code == 400
    assert "4 tries are left." in wrong.content.decode()
    assert right.status_code == 302
    assert right.url == reverse("accounts:profile")
    claim.refresh_from_db()
    assert claim.channel == "sms"


def test_a_malformed_code_is_refused_without_counting(client, claim):
    client.force_login(claim.user)
    url = reverse("accounts:residency_code", args=[claim.pk])
    client.post(url, {"send": "1"})

    response = client.post(url, {"code": "12a4"})

    assert response.status_code == 400
    assert "six digits" in response.content.decode()
    assert TextCode.objects.get().attempts == 0


def test_the_page_says_why_no_code_can_be_sent(client, territory, sms_on):
    claim = _pending(territory, BOLAT)
    client.force_login(claim.user)

    page = client.get(reverse("accounts:residency_code", args=[claim.pk]))
    profile = client.get(reverse("accounts:profile")).content.decode()

    assert "gives no mobile number for you" in page.content.decode()
    assert 'name="send"' not in page.content.decode()
    assert 'data-testid="confirm-by-sms"' not in profile


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("staff", 403),
        ("akim", 403),
        ("verified_claimant", 403),
        ("claimant", 200),
    ],
)
def test_only_the_claimant_of_a_pending_claim_asks_for_a_code(
    client, territory, claim, request, who, status
):
    url = reverse("accounts:residency_code", args=[claim.pk])
    if who == "verified_claimant":
        verified = ResidencyFactory(
            user=UserFactory(with_iin=True, iin=CHINGIZ),
            place=territory["village"],
            budget_unit=territory["rural_district"],
        )
        url = reverse("accounts:residency_code", args=[verified.pk])
        client.force_login(verified.user)
    elif who == "claimant":
        client.force_login(claim.user)
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    page = client.get(url)
    sent = client.post(url, {"send": "1"})

    assert page.status_code == status
    assert sent.status_code == (302 if who in ("anonymous", "claimant") else status)
    assert len(sms.outbox) == (1 if who == "claimant" else 0)


def test_codes_past_use_are_deleted_a_day_after_they_expire(claim, clock):
    from accounts import tasks
    from portal.celery import app

    services.residency_code_send(residency=claim, user=claim.user)
    clock.shift(60 * 10 + 86400 - 60)
    kept = tasks.text_codes_purge.delay().get()
    clock.shift(120)
    deleted = tasks.text_codes_purge.delay().get()

    assert (kept, deleted) == (0, 1)
    assert not TextCode.objects.exists()
    assert app.conf.beat_schedule["accounts-text-codes-purge"]["schedule"] == 3600.0
