"""Residency verification: one interface, and the backend the setting names.

RESIDENCY_VERIFICATION_BACKEND picks the class. The default puts the claim in the queue of the
akimat staff of the resident's budget unit, who confirm or refuse it with a reason. A backend
that asks a state register would implement the same interface and call `residency_verify` or
`residency_refuse` itself once it has its answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from accounts.models import Residency


class ResidencyVerification(Protocol):
    def residency_requested(self, residency: Residency) -> None:
        """Called in the transaction that records a new claim."""


class StaffQueueVerification:
    """The claim waits in the akimat's queue; the staff are told of it."""

    def residency_requested(self, residency: Residency) -> None:
        from accounts.selectors import unit_staff
        from portal.services import notification_send

        notification_send(
            recipients=unit_staff(unit=residency.budget_unit),
            kind="residency_requested",
            unit=residency.budget_unit,
            url_name="accounts:residency_queue",
        )


def get_backend() -> ResidencyVerification:
    return import_string(settings.RESIDENCY_VERIFICATION_BACKEND)()
