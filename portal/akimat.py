"""The akimat's contacts: what the administrator keeps by hand beside a KATO unit.

A module of its own, beside portal/models.py (which imports it, so that Django finds the
model): the unit refers to it by its reverse accessor, it to the unit by name.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.phones import NORMALISED_SQL, KazakhstanPhoneField, phone_display
from portal.texts import in_reader_language

# The akimat's texts kept in both languages: each is given in both or in neither.
AKIMAT_TEXTS = ("akim_name", "address", "working_hours", "in_person")


class Akimat(models.Model):
    """The akimat (the akim's office) of a unit as residents reach it: its name, the akim,
    where it is, when it is open, how to call or write, and where to go in person.

    A model of its own, one to one with the unit, rather than fields of
    `AdministrativeUnit`: the unit is the KATO classifier's, written only by `import_kato`
    and `import_population` and read-only in the admin, while these contacts are what the
    administrator keeps by hand. Apart, an import never touches them, the unit's admin
    stays read-only, and a unit whose contacts nobody has published has no row (its pages
    say so) rather than a row of blanks.

    What residents read is kept in Kazakh and in Russian, as the unit's names are, and
    shown in the script of the page's language (`AdministrativeUnit.name`): the names
    always, every other text in both languages or in neither. The telephone number is
    stored as +7XXXXXXXXXX (portal/phones.py).
    """

    unit = models.OneToOneField(
        "portal.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="akimat",
    )
    name_kk = models.CharField(
        _("name in Kazakh"),
        max_length=300,
        help_text=_("For example: Златополье ауылдық округі әкімінің аппараты."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=300,
        help_text=_("For example: Аппарат акима Златопольского сельского округа."),
    )
    akim_name_kk = models.CharField(
        _("the akim's full name in Kazakh"), max_length=200, blank=True
    )
    akim_name_ru = models.CharField(
        _("the akim's full name in Russian"), max_length=200, blank=True
    )
    address_kk = models.CharField(
        _("postal address in Kazakh"), max_length=300, blank=True
    )
    address_ru = models.CharField(
        _("postal address in Russian"), max_length=300, blank=True
    )
    working_hours_kk = models.CharField(
        _("working hours in Kazakh"),
        max_length=200,
        blank=True,
        help_text=_("For example: Дс–Жм 9:00–18:30, түскі үзіліс 13:00–14:30."),
    )
    working_hours_ru = models.CharField(
        _("working hours in Russian"),
        max_length=200,
        blank=True,
        help_text=_("For example: Пн–Пт 9:00–18:30, обед 13:00–14:30."),
    )
    in_person_kk = models.CharField(
        _("where to go in person, in Kazakh"),
        max_length=300,
        blank=True,
        help_text=_("The reception room or office, and when residents are received."),
    )
    in_person_ru = models.CharField(
        _("where to go in person, in Russian"),
        max_length=300,
        blank=True,
        help_text=_("The reception room or office, and when residents are received."),
    )
    phone = KazakhstanPhoneField(
        _("telephone"),
        blank=True,
        help_text=_(
            "A Kazakhstan number, written in any usual way: 8 (71636) 2-14-71 or "
            "+7 701 234 56 78."
        ),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("akimat")
        verbose_name_plural = _("akimats")
        ordering = ["unit__kato_code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_kk="") & ~Q(name_ru=""),
                name="akimat_named_in_both_languages",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=NORMALISED_SQL),
                name="akimat_phone_normalised",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{text}_kk": "", f"{text}_ru": ""})
                    | (~Q(**{f"{text}_kk": ""}) & ~Q(**{f"{text}_ru": ""})),
                    name=f"akimat_{text}_in_both_languages_or_neither",
                )
                for text in AKIMAT_TEXTS
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        for text in AKIMAT_TEXTS:
            kk, ru = getattr(self, f"{text}_kk"), getattr(self, f"{text}_ru")
            if bool(kk) != bool(ru):
                errors[f"{text}_ru" if kk else f"{text}_kk"] = ValidationError(
                    _("Fill this in too, or leave it empty in both languages."),
                    code="one_language_only",
                )
        if errors:
            raise ValidationError(errors)

    def _in_language(self, text: str) -> str:
        # As the unit's name: Russian for Russian, Kazakh for Kazakh and English.
        return in_reader_language(self, text)

    @property
    def name(self) -> str:
        return self._in_language("name")

    @property
    def akim_name(self) -> str:
        return self._in_language("akim_name")

    @property
    def address(self) -> str:
        return self._in_language("address")

    @property
    def working_hours(self) -> str:
        return self._in_language("working_hours")

    @property
    def in_person(self) -> str:
        return self._in_language("in_person")

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)
