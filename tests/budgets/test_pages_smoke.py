"""Every budgets page answers, for the public and for staff."""

import time_machine
from django.urls import reverse

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
