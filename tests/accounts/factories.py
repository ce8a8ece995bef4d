"""Factories of accounts: users, residents with a verified residency, role memberships."""

import datetime

import factory

from accounts.iin import check_digit, iin_digest
from accounts.models import Residency, ResidencyStatus, Role, RoleMembership, User


def make_iin(serial: int, born: str = "900101", century_sex: int = 3) -> str:
    """A valid IIN: the date, the century digit, a serial, and its check digit.

    When the serial has no valid check digit on that day, the day of birth moves (never
    the serial), so that two serials never give the same IIN.
    """
    days = [born[4:], *(f"{day:02d}" for day in range(1, 29))]
    for day in days:
        first_eleven = f"{born[:4]}{day}{century_sex}{serial % 10000:04d}"
        digit = check_digit(first_eleven)
        if digit is not None:
            return f"{first_eleven}{digit}"
    raise AssertionError("no valid IIN for this serial")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.kz")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    language = "en"
    password = factory.django.Password("demo-password-123")

    class Params:
        with_iin = factory.Trait(
            iin_digest=factory.LazyAttribute(lambda o: iin_digest(o.iin)),
            iin_last4=factory.LazyAttribute(lambda o: o.iin[-4:]),
        )

    iin = factory.Sequence(lambda n: make_iin(n))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.pop("iin", None)
        return super()._create(model_class, *args, **kwargs)


class ResidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residency

    user = factory.SubFactory(UserFactory, with_iin=True)
    place = None
    budget_unit = factory.LazyAttribute(lambda o: o.place)
    status = ResidencyStatus.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
    role = Role.AKIMAT_STAFF
    unit = None
    starts_on = factory.LazyFunction(lambda: datetime.date(2020, 1, 1))
    ends_on = None
