"""The demo akimats' contacts: the town of Shchuchinsk and the rural districts of Burabay
district that have a budget cycle in the demo.

Invented but shaped like the real ones: the names as the akims' offices are called, the
district's telephone code (71636) with numbers written as people write them (stored
normalised), e-mail addresses under demo.qatysu.kz that reach nobody. Zlatopolye's akim
is the demo's akim account. Loading twice changes nothing; what an administrator changed
in the admin is put back.
"""

from __future__ import annotations

from django.db import transaction

from portal.models import AdministrativeUnit, Akimat

WORKING_HOURS = (
    "Дүйсенбі–жұма 9:00–18:30, түскі үзіліс 13:00–14:30",
    "Понедельник–пятница 9:00–18:30, обед 13:00–14:30",
)
IN_PERSON = (
    "Әкім аппаратының ғимараты, 1-қабат, қабылдау бөлмесі. Әкім азаматтарды сейсенбі "
    "күндері 10:00–12:00 аралығында қабылдайды.",
    "Здание аппарата акима, 1-й этаж, приёмная. Аким принимает граждан по вторникам "
    "с 10:00 до 12:00.",
)
REGION = ("Ақмола облысы, Бурабай ауданы", "Акмолинская область, Бурабайский район")

# (KATO code, the office's name, the akim, the place and street (each in Kazakh and
# Russian), the house, the telephone as written, the e-mail or "").
AKIMATS = [
    (
        "117020000",
        ("Щучинск қаласы әкімінің аппараты", "Аппарат акима города Щучинск"),
        ("Тілеубаев Асқар Бекұлы", "Тлеубаев Аскар Бекович"),
        ("Щучинск қаласы, Абылай хан көшесі", "г. Щучинск, ул. Абылай хана"),
        "30",
        "8 (71636) 4-12-55",
        "shchuchinsk.akimat@demo.qatysu.kz",
    ),
    (
        "117051000",
        (
            "Златополье ауылдық округі әкімінің аппараты",
            "Аппарат акима Златопольского сельского округа",
        ),
        ("Сейітов Болат Ерланұлы", "Сеитов Болат Ерланович"),
        ("Златополье ауылы, Орталық көшесі", "с. Златополье, ул. Центральная"),
        "15",
        "8 (71636) 7-21-45",
        "zlatopolye.akimat@demo.qatysu.kz",
    ),
    (
        "117037000",
        (
            "Веденовка ауылдық округі әкімінің аппараты",
            "Аппарат акима Веденовского сельского округа",
        ),
        ("Әбенова Гүлмира Сәкенқызы", "Абенова Гульмира Сакеновна"),
        ("Веденовка ауылы, Мектеп көшесі", "с. Веденовка, ул. Школьная"),
        "4",
        "+7 716 367 35 12",
        "vedenovka.akimat@demo.qatysu.kz",
    ),
    (
        "117049000",
        (
            "Зеленый Бор ауылдық округі әкімінің аппараты",
            "Аппарат акима Зеленоборского сельского округа",
        ),
        ("Есенов Дәурен Мұратұлы", "Есенов Даурен Муратович"),
        ("Зеленый Бор ауылы, Бейбітшілік көшесі", "с. Зеленый Бор, ул. Мира"),
        "2А",
        "8 71636 74108",
        "zelenybor.akimat@demo.qatysu.kz",
    ),
    (
        "117033000",
        (
            "Абылайхан ауылдық округі әкімінің аппараты",
            "Аппарат акима Абылайхановского сельского округа",
        ),
        ("Қалиев Ержан Төлегенұлы", "Калиев Ержан Тулегенович"),
        ("Қызылағаш ауылы, Достық көшесі", "с. Кызылагаш, ул. Дружбы"),
        "9",
        "8 (71636) 7-52-30",
        "abylaikhan.akimat@demo.qatysu.kz",
    ),
    (
        "117053000",
        (
            "Кенесары ауылдық округі әкімінің аппараты",
            "Аппарат акима Кенесаринского сельского округа",
        ),
        ("Смағұлов Нұрлан Асқарұлы", "Смагулов Нурлан Аскарович"),
        ("Кенесары ауылы, Абай көшесі", "с. Кенесары, ул. Абая"),
        "21",
        "8 (71636) 7-63-17",
        "kenesary.akimat@demo.qatysu.kz",
    ),
    (
        # No e-mail: it is optional, and the page shows the rest.
        "117057000",
        (
            "Қатаркөл ауылдық округі әкімінің аппараты",
            "Аппарат акима Катаркольского сельского округа",
        ),
        ("Ибраева Сәуле Маратқызы", "Ибраева Сауле Маратовна"),
        ("Қатаркөл ауылы, Жеңіс көшесі", "с. Катарколь, ул. Победы"),
        "7",
        "8 (71636) 7-18-64",
        "",
    ),
]


@transaction.atomic
def load_akimat_demo() -> list[Akimat]:
    """The demo's akimats' contacts, each checked as the admin checks it."""
    units = AdministrativeUnit.objects.in_bulk(
        [code for code, *_rest in AKIMATS], field_name="kato_code"
    )
    akimats = []
    for code, name, akim, street, house, phone, email in AKIMATS:
        akimat = Akimat.objects.filter(unit=units[code]).first() or Akimat(
            unit=units[code]
        )
        address = tuple(
            f"{region}, {place}, {house}"
            for region, place in zip(REGION, street, strict=True)
        )
        for field, (kk, ru) in (
            ("name", name),
            ("akim_name", akim),
            ("address", address),
            ("working_hours", WORKING_HOURS),
            ("in_person", IN_PERSON),
        ):
            setattr(akimat, f"{field}_kk", kk)
            setattr(akimat, f"{field}_ru", ru)
        akimat.phone = phone
        akimat.email = email
        akimat.full_clean()  # the telephone as written becomes +7XXXXXXXXXX
        akimat.save()
        akimats.append(akimat)
    return akimats
