"""The budget classification (бюджеттік сыныптама): the revenue and expenditure entries a
fourth-level budget's lines are written in, with their official names and the plain words
the administrator keeps beside them; a model of the budgets app (re-exported by
budgets.models)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.texts import in_reader_language


class ClassificationKind(models.TextChoices):
    REVENUE = "revenue", _("revenue")
    EXPENDITURE = "expenditure", _("expenditure")


# The functional groups of the budget classification of expenditures.
FUNCTIONAL_GROUPS = {
    1: _("General public services"),
    2: _("Defence"),
    3: _("Public order, security, legal, judicial and penal activities"),
    4: _("Education"),
    5: _("Health care"),
    6: _("Social assistance and social security"),
    7: _("Housing and communal services"),
    8: _("Culture, sport, tourism and the information space"),
    9: _("Fuel and energy, subsoil use"),
    10: _(
        "Agriculture, water, forestry, fisheries, protected natural areas, the "
        "environment and wildlife, land relations"
    ),
    11: _("Industry, architecture, town planning and construction"),
    12: _("Transport and communications"),
    13: _("Other"),
    14: _("Debt service"),
    15: _("Transfers"),
}


class BudgetClassification(models.Model):
    """A revenue category or an expenditure function: data an administrator keeps."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=ClassificationKind.choices
    )
    code = models.CharField(_("code"), max_length=20)
    name_kk = models.CharField(_("name in Kazakh"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300)
    # What a resident would call it ("lighting the streets"), shown beside the official
    # name on the citizen's budget; blank where nobody has written one yet.
    plain_name_kk = models.CharField(
        _("plain-language name in Kazakh"), max_length=120, blank=True
    )
    plain_name_ru = models.CharField(
        _("plain-language name in Russian"), max_length=120, blank=True
    )
    plain_name_en = models.CharField(
        _("plain-language name in English"), max_length=120, blank=True
    )
    purpose_kk = models.CharField(
        _("what it pays for, in Kazakh"), max_length=200, blank=True
    )
    purpose_ru = models.CharField(
        _("what it pays for, in Russian"), max_length=200, blank=True
    )
    purpose_en = models.CharField(
        _("what it pays for, in English"), max_length=200, blank=True
    )
    # Transfers from the district budget (subventions, targeted transfers).
    is_transfer = models.BooleanField(_("is a transfer"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("budget classification entry")
        verbose_name_plural = _("budget classification")
        ordering = ["kind", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], name="classification_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(is_transfer=False) | Q(kind="revenue"),
                name="classification_transfers_are_revenue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return in_reader_language(self, "name")

    @property
    def plain_name(self) -> str:
        """The plain-language name in the reader's language; empty when there is none,
        and the official name stands alone."""
        return self._in_language("plain_name")

    @property
    def purpose(self) -> str:
        """What the entry pays for, in one line in the reader's language, or empty."""
        return self._in_language("purpose")

    def _in_language(self, field: str) -> str:
        return in_reader_language(self, field, languages=("kk", "ru", "en"))

    @property
    def functional_group(self) -> int | None:
        """The functional group (01 to 15) of an expenditure, or None when not known.

        The programme codes of a fourth-level budget all start with the administrator
        ("124"), so the group is not in the code: the administrator keeps it as the hundreds
        of `position` (budgets/migrations/0002_classification_and_calendar.py).
        """
        return functional_group_of(self.kind, self.position)


def functional_group_of(kind: str, position: int) -> int | None:
    """BudgetClassification.functional_group from a row's kind and position, for reads
    that take values rather than entries."""
    group = position // 100
    if kind == ClassificationKind.EXPENDITURE and group in FUNCTIONAL_GROUPS:
        return group
    return None
