"""Factories of the portal app: administrative units and their akimats."""

import factory

from portal.models import AdministrativeUnit, Akimat, Level


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


class AkimatFactory(factory.django.DjangoModelFactory):
    """An akimat with every contact published; a test blanks what it does not need."""

    class Meta:
        model = Akimat

    unit = factory.SubFactory(UnitFactory)
    name_kk = "Ортақ ауылдық округі әкімінің аппараты"
    name_ru = "Аппарат акима Ортакского сельского округа"
    akim_name_kk = "Жұмабаев Ерлан Серікұлы"
    akim_name_ru = "Жумабаев Ерлан Серикович"
    address_kk = "Ақмола облысы, Зеренді ауданы, Ортақ ауылы, Мектеп көшесі, 3"
    address_ru = "Акмолинская область, Зерендинский район, с. Ортак, ул. Школьная, 3"
    working_hours_kk = "Дүйсенбі–жұма 9:00–18:30, түскі үзіліс 13:00–14:30"
    working_hours_ru = "Понедельник–пятница 9:00–18:30, обед 13:00–14:30"
    in_person_kk = "1-қабат, қабылдау бөлмесі"
    in_person_ru = "1-й этаж, приёмная"
    phone = "+77163221471"
    email = "ortak.akimat@example.kz"
