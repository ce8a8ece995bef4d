"""The IIN validator: every kind of valid and invalid number, with its error code."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.iin import check_digit, iin_digest, validate_iin

# Worked by hand: 9,0,0,1,0,1,3,0,0,0,1 × 1..11 = 51; 51 mod 11 = 7.
FIRST_PASS_VALID = "900101300017"
# 8,5,0,5,1,2,4,0,0,7,0 × 1..11 = 153 ≡ 10, so the second pass: × 3..11,1,2 = 140 ≡ 8.
SECOND_PASS_VALID = "850512400708"
# 8,5,0,5,1,2,4,0,0,7,1: the first pass gives 10 and the second 142 ≡ 10: no check digit.
NO_CHECK_DIGIT_PREFIX = "85051240071"


@pytest.mark.parametrize(
    "iin",
    [
        FIRST_PASS_VALID,
        SECOND_PASS_VALID,
        "000229500010"[:11] + str(check_digit("00022950001")),  # 29 Feb 2000, a boy
        "991231400002"[:11] + str(check_digit("99123140000")),  # 31 Dec 1999, a woman
        "950615100003"[:11] + str(check_digit("95061510000")),  # 1895, the 19th century
    ],
)
def test_valid_iins_pass(iin):
    validate_iin(iin)


def test_check_digit_uses_the_second_pass_when_the_first_gives_ten():
    assert check_digit(SECOND_PASS_VALID[:11]) == 8


def test_check_digit_is_none_when_both_passes_give_ten():
    assert check_digit(NO_CHECK_DIGIT_PREFIX) is None


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("", "iin_not_twelve_digits"),
        ("90010130001", "iin_not_twelve_digits"),
        ("9001013000171", "iin_not_twelve_digits"),
        ("90010130001a", "iin_not_twelve_digits"),
        ("９００１０１３０００１７", "iin_not_twelve_digits"),  # full-width digits
        ("900101000017", "iin_century_digit"),
        ("900101700017", "iin_century_digit"),
        ("901301300017", "iin_birth_date"),  # month 13
        ("900230300017", "iin_birth_date"),  # 30 February
        ("010229500017", "iin_birth_date"),  # 29 February 2001
        ("900101300018", "iin_check_digit"),
        (NO_CHECK_DIGIT_PREFIX + "0", "iin_check_digit"),
        (NO_CHECK_DIGIT_PREFIX + "9", "iin_check_digit"),
    ],
)
def test_invalid_iins_are_refused_with_their_code(iin, code):
    with pytest.raises(ValidationError) as refusal:
        validate_iin(iin)

    assert refusal.value.code == code


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC))
def test_a_date_of_birth_in_the_future_is_refused():
    tomorrow = "261126" + "5" + "0001"
    iin = tomorrow + str(check_digit(tomorrow))

    with pytest.raises(ValidationError) as refusal:
        validate_iin(iin)

    assert refusal.value.code == "iin_birth_date_future"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "An IIN is exactly 12 digits."),
        ("ru", "ИИН состоит ровно из 12 цифр."),
        ("kk", "ЖСН дәл 12 цифрдан тұрады."),
    ],
)
def test_the_message_is_in_the_users_language(language, text):
    with translation.override(language):
        with pytest.raises(ValidationError) as refusal:
            validate_iin("123")

        assert refusal.value.messages == [text]


def test_the_digest_is_keyed_and_does_not_contain_the_number(settings):
    digest = iin_digest(FIRST_PASS_VALID)
    settings.IIN_HASH_KEY = "another-key"

    assert FIRST_PASS_VALID not in digest
    assert len(digest) == 64
    assert iin_digest(FIRST_PASS_VALID) != digest
