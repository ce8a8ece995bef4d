"""Every budgets page answers, for the public and for staff."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tests.budgets.conftest import DAY_IN


def test_the_public_and_staff_pages_answer(client, published, staff):
    cycle = published.cycle
    kwargs = {"kato_code": cycle.unit.kato_code, "fiscal_year": 2027}
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        for name, extra in [
            ("budgets:cycle_detail", {}),
            ("budgets:draft_detail", {"version": 1}),
            ("budgets:draft_diff", {}),
        ]:
            response = client.get(reverse(name, kwargs={**kwargs, **extra}))
            assert response.status_code == 200, name
        assert (
            client.get(
                reverse("budgets:unit_cycles", args=[cycle.unit.kato_code])
            ).status_code
            == 200
        )
        client.force_login(staff)
        for name, extra in [
            ("budgets:cycle_detail", {}),
            ("budgets:phase_extend", {}),
            ("budgets:draft_detail", {"version": 1}),
        ]:
            response = client.get(reverse(name, kwargs={**kwargs, **extra}))
            assert response.status_code == 200, name
        response = client.post(reverse("budgets:draft_create", kwargs=kwargs))
        assert response.status_code == 302
        response = client.get(response.url)
        assert response.status_code == 200
        assert (
            client.get(
                reverse("budgets:cycle_open", args=[cycle.unit.kato_code])
            ).status_code
            == 200
        )


@pytest.mark.parametrize(
    ("language", "proposals_from", "execution_until"),
    [
        ("kk", "1 наурыз 2026", "31 желтоқсан 2027"),
        ("ru", "1 марта 2026", "31 декабря 2027"),
        ("en", "1 March 2026", "31 December 2027"),
    ],
)
def test_the_cycle_page_writes_its_dates_the_language_s_way(
    client, cycle, language, proposals_from, execution_until
):
    # Given the 2027 cycle before its proposals open
    with translation.override(language):
        url = reverse(
            "budgets:cycle_detail",
            kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": 2027},
        )

    # When a resident reads its page in a language
    with time_machine.travel(DAY_IN["planned"], tick=False):
        html = client.get(url).content.decode()

    # Then its timeline and what comes next are dated in that language's one way
    assert f'<time datetime="2026-03-01">{proposals_from}</time>' in html
    assert f'<time datetime="2027-12-31">{execution_until}</time>' in html
    assert f"{proposals_from}." in html  # "Next: …, from 1 March 2026."
