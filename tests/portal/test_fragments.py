"""What renews the versions pages are kept under (portal.fragments), besides the acts of
the audit trail (tests/proposals/test_kept_pages.py): a new classifier and an
administrator's edit renew every page; a version lost from the cache is replaced."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portal import fragments
from tests.accounts.factories import UserFactory
from tests.portal.test_akimat import admin_form
from tests.portal.test_import_kato import TINY_CLASSIFIER, import_kato, write_csv


def test_a_new_classifier_renews_every_page(db, tmp_path):
    before = fragments.unit_version(1)
    import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))
    assert fragments.unit_version(1).split(".")[0] != before.split(".")[0]
    # The same classifier again changes nothing and renews nothing
    again = fragments.unit_version(1)
    import_kato(write_csv(tmp_path / "kato.csv", TINY_CLASSIFIER))
    assert fragments.unit_version(1) == again


def test_an_administrator_s_edit_renews_every_page(territory):
    unit = territory["rural_district"]
    before = fragments.unit_version(unit.pk)
    administrator = Client(HTTP_ACCEPT_LANGUAGE="en")
    administrator.force_login(UserFactory(is_staff=True, is_superuser=True))
    added = administrator.post(reverse("admin:portal_akimat_add"), admin_form(unit))
    assert added.status_code == 302
    assert fragments.unit_version(unit.pk) != before


def test_an_act_renews_its_unit_alone(territory):
    unit, other = territory["rural_district"], territory["other_rural_district"]
    before = fragments.unit_version(unit.pk), fragments.unit_version(other.pk)
    fragments.units_changed([unit.pk])
    assert fragments.unit_version(unit.pk) != before[0]
    assert fragments.unit_version(other.pk) == before[1]


def test_a_lost_version_is_replaced_by_a_new_one_kept_for_the_next_reader(db):
    first = fragments.unit_version(7)
    cache.clear()
    second = fragments.unit_version(7)
    assert second != first
    assert fragments.unit_version(7) == second


def test_a_key_names_the_language_and_the_arguments(db):
    with translation.override("kk"):
        kazakh = fragments.key(7, "page", "/kk/x/")
    with translation.override("ru"):
        russian = fragments.key(7, "page", "/kk/x/")
        other = fragments.key(7, "page", "/kk/y/")
    assert len({kazakh, russian, other}) == 3


def test_pages_are_drawn_each_time_where_they_are_not_kept(db, settings):
    # Production workers without Redis: each process would keep its own versions
    settings.QATYSU_KEEP_PAGES = False
    drawn = []
    for _ in range(2):
        fragments.kept("fragment:x", lambda: drawn.append(1) or "page")
    assert len(drawn) == 2
    settings.QATYSU_KEEP_PAGES = True
    for _ in range(2):
        fragments.kept("fragment:y", lambda: drawn.append(1) or "page")
    assert len(drawn) == 3
