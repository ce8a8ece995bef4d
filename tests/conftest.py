"""Shared fixtures: a small territory shaped like a real district, and users in each role."""

import pytest
from django.utils import translation

from accounts.models import Role
from portal.models import Level
from tests.accounts.factories import MembershipFactory, ResidencyFactory, UserFactory
from tests.portal.factories import UnitFactory


@pytest.fixture(autouse=True)
def _english_by_default():
    # Tests reverse and read English URLs unless they switch; Kazakh stays the default.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _eager_celery():
    # Unit tests run tasks in-process; tests/integration/ starts a real worker instead.
    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded files (the meetings' minutes) never land in the project's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    """Each test its own empty in-memory cache (the API's and allauth's rate limits):
    nothing carries over from one test to the next, and no test writes to a Redis that
    REDIS_URL may name."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """Text messages kept in `sms.outbox` (django-sms's locmem backend), empty at each
    test's start, never printed or sent; a test of the HTTP gateway sets its own."""
    import sms

    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    sms.outbox = []
    yield
    sms.outbox = []


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    """Sessions in the database whether or not REDIS_URL is set (with it, production
    reads them through the cache): the pinned query counts name the session's read.
    tests/portal/test_sessions.py checks the cached sessions."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def territory(db):
    return make_territory()


def make_territory() -> dict:
    """Akmola region › Zerendi district › a rural district, a village administration, a town."""
    region = UnitFactory(
        kato_code="110000000",
        level=Level.REGION,
        name_kk="Ақмола облысы",
        name_ru="Акмолинская область",
    )
    district = UnitFactory(
        kato_code="115600000",
        level=Level.DISTRICT,
        name_kk="Зеренді ауданы",
        name_ru="Зерендинский район",
        parent=region,
    )
    rural_district = UnitFactory(
        kato_code="115633000",
        level=Level.RURAL_DISTRICT,
        name_kk="Ортақ ауылдық округі",
        name_ru="Ортакский сельский округ",
        parent=district,
        population=1800,
        population_year=2021,
    )
    village = UnitFactory(
        kato_code="115633100",
        level=Level.VILLAGE,
        name_kk="Ақкөл",
        name_ru="Акколь",
        parent=rural_district,
        population=900,
        population_year=2021,
    )
    village_administration = UnitFactory(
        kato_code="115641000",
        level=Level.VILLAGE,
        name_kk="Қызылсая ауылы",
        name_ru="Кызылсая",
        parent=district,
        population=2400,
        population_year=2021,
    )
    other_rural_district = UnitFactory(
        kato_code="115645000",
        level=Level.RURAL_DISTRICT,
        name_kk="Садовый ауылдық округі",
        name_ru="Садовый сельский округ",
        parent=district,
        population=3100,
        population_year=2021,
    )
    return {
        "region": region,
        "district": district,
        "rural_district": rural_district,
        "village": village,
        "village_administration": village_administration,
        "other_rural_district": other_rural_district,
    }


@pytest.fixture
def staff(territory):
    return MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
    ).user


@pytest.fixture
def other_staff(territory):
    return MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["other_rural_district"]
    ).user


@pytest.fixture
def resident(territory):
    return ResidencyFactory(
        place=territory["village"], budget_unit=territory["rural_district"]
    ).user


@pytest.fixture
def user_without_iin(db):
    return UserFactory()
