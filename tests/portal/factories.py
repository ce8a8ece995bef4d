"""Factories of the portal app: administrative units and a small real-shaped territory."""

import factory

from portal.models import AdministrativeUnit, Level


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("kato_code",)

    kato_code = factory.Sequence(lambda n: f"{n + 100000000:09d}")
    level = Level.VILLAGE
    name_kk = factory.Sequence(lambda n: f"Ауыл {n}")
    name_ru = factory.Sequence(lambda n: f"Село {n}")
    parent = None
    population = None
    population_year = None
