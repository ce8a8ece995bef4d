"""The unit's budget pages (its cycles, a cycle) show the akimat's contacts, or say that
none are published, at the query cost pinned for them."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal import fragments
from tests.accounts.factories import UserFactory
from tests.budgets.conftest import DAY_IN
from tests.portal.factories import AkimatFactory
from tests.portal.test_akimat import admin_form

EMPTY_STATE = "The akimat's contact details have not been published yet."
PHONE_LINK = (
    '<a href="tel:+77163221471" data-testid="akimat-phone">+7 716 322 14 71</a>'
)


def _pages(cycle) -> dict[str, str]:
    return {
        "unit_cycles": reverse("budgets:unit_cycles", args=[cycle.unit.kato_code]),
        "cycle_detail": cycle.get_absolute_url(),
    }


@pytest.mark.parametrize("page", ["unit_cycles", "cycle_detail"])
def test_the_budget_pages_show_the_akimat_s_contacts(client, cycle, page):
    AkimatFactory(unit=cycle.unit)

    with (
        time_machine.travel(DAY_IN["proposals_open"], tick=False),
        translation.override("ru"),
    ):
        html = client.get(_pages(cycle)[page]).content.decode()

    assert 'data-testid="akimat"' in html
    assert "Аппарат акима Ортакского сельского округа" in html
    assert "Жумабаев Ерлан Серикович" in html
    assert "Понедельник–пятница 9:00–18:30, обед 13:00–14:30" in html
    assert PHONE_LINK in html
    assert 'href="mailto:ortak.akimat@example.kz"' in html


@pytest.mark.parametrize("page", ["unit_cycles", "cycle_detail"])
def test_the_budget_pages_say_when_no_contacts_are_published(client, cycle, page):
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        html = client.get(_pages(cycle)[page]).content.decode()

    assert 'data-testid="akimat"' in html
    assert EMPTY_STATE in html
    assert "tel:" not in html


@pytest.mark.parametrize("page", ["unit_cycles", "cycle_detail"])
def test_the_contacts_cost_the_budget_pages_no_query(client, cycle, page):
    url = _pages(cycle)[page]
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        # A first request fills what a running process caches (the content types)
        client.get(url)
        # Drawn anew, as it is after the edit below (portal.fragments)
        fragments.everything_changed()
        with CaptureQueriesContext(connection) as empty:
            client.get(url)
        AkimatFactory(unit=cycle.unit)
        with CaptureQueriesContext(connection) as published:
            html = client.get(url).content.decode()

    assert PHONE_LINK in html
    assert len(published) == len(empty)
    # Nothing reads the akimat apart from the unit: it comes with it
    assert not [q for q in published if 'FROM "portal_akimat"' in q["sql"]]


@pytest.mark.parametrize("page", ["draft", "citizen", "execution"])
def test_the_adopted_budget_s_pages_show_the_contacts_at_no_query(
    client, adopted, page
):
    cycle = adopted.cycle
    url = {
        "draft": adopted.get_absolute_url(),
        "citizen": reverse(
            "budgets:citizen", args=[cycle.unit.kato_code, cycle.fiscal_year]
        ),
        "execution": reverse(
            "budgets:execution", args=[cycle.unit.kato_code, cycle.fiscal_year]
        ),
    }[page]
    with time_machine.travel(DAY_IN["maslikhat_vote"], tick=False):
        client.get(url)
        # Drawn anew, as it is after the edit below (portal.fragments)
        fragments.everything_changed()
        with CaptureQueriesContext(connection) as empty:
            html = client.get(url).content.decode()
        assert EMPTY_STATE in html
        # Published in the admin, which draws the kept pages again (portal.handlers)
        administrator = Client(HTTP_ACCEPT_LANGUAGE="en")
        administrator.force_login(UserFactory(is_staff=True, is_superuser=True))
        added = administrator.post(
            reverse("admin:portal_akimat_add"),
            admin_form(cycle.unit, phone="+7 716 322 14 71"),
        )
        assert added.status_code == 302
        with CaptureQueriesContext(connection) as published:
            html = client.get(url).content.decode()

    assert 'data-testid="akimat"' in html
    assert PHONE_LINK in html
    assert len(published) == len(empty)
