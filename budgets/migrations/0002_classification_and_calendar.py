"""Seeds the budget classification a fourth-level budget uses, and the national calendar.

The codes are those of Kazakhstan's unified budget classification (ЕБК, approved by order
of the Minister of Finance), as the district maslikhats' decisions on the budgets of rural
districts, villages, settlements and towns of district significance print them, and as far
as we know them:

- Revenues: category, class, subclass and, where the line is one specific, the specific
  ("1 04 4 02": tax revenue, property taxes, vehicle tax, of individuals). Land tax
  ("1 04 3"), fees for outdoor advertising ("1 05 3", receipts for the use of natural and
  other resources), state duty ("1 08 1"), rent ("2 01 5"), fines ("2 04 1"), other
  non-tax revenue, voluntary donations among them ("2 06 1") and the sale of property
  ("3 01 1") are seeded at the subclass, as the budget decisions show them; transfers from
  the district budget are subclass "4 02 3" with its specifics 01 (targeted current
  transfers), 02 (targeted development transfers) and 03 (subventions).
- Expenditures: the administrator and programme of the budget programme administrator
  "124", the apparatus of the akim of a town of district significance, village, settlement
  or rural district ("124 008": street lighting). Position orders them by functional group
  (01 general public services … 13 other): the hundreds of `position` are the group.
  "124 057" (the "Ауыл — Ел бесігі" project) is the code we know least well.

These are data that an administrator keeps, and may correct, add to or retire in the admin;
no code in the portal depends on a particular code. The reverse removes the seeded entries
(refused while a budget line uses one) and the national default calendar.
"""

from django.db import migrations

REVENUE = "revenue"
EXPENDITURE = "expenditure"

# (code, Kazakh name, Russian name, is_transfer, position)
REVENUES = [
    (
        "1 01 2 02",
        "Төлем көзінен салық салынбайтын табыстардан ұсталатын жеке табыс салығы",
        "Индивидуальный подоходный налог с доходов, не облагаемых у источника выплаты",
        False,
        10,
    ),
    (
        "1 04 1 02",
        "Жеке тұлғалардың мүлкіне салынатын салық",
        "Налог на имущество физических лиц",
        False,
        20,
    ),
    ("1 04 3", "Жер салығы", "Земельный налог", False, 30),
    (
        "1 04 4 02",
        "Жеке тұлғалардан көлік құралдарына салынатын салық",
        "Налог на транспортные средства с физических лиц",
        False,
        40,
    ),
    (
        "1 04 4 01",
        "Заңды тұлғалардан көлік құралдарына салынатын салық",
        "Налог на транспортные средства с юридических лиц",
        False,
        50,
    ),
    (
        "1 05 3",
        "Сыртқы (көрнекі) жарнаманы орналастырғаны үшін төлемақы",
        "Плата за размещение наружной (визуальной) рекламы",
        False,
        60,
    ),
    ("1 08 1", "Мемлекеттік баж", "Государственная пошлина", False, 70),
    (
        "2 01 5",
        "Мемлекет меншігіндегі мүлікті жалға беруден түсетін кірістер",
        "Доходы от аренды имущества, находящегося в государственной собственности",
        False,
        110,
    ),
    (
        "2 04 1",
        "Мемлекеттік бюджеттен қаржыландырылатын мемлекеттік мекемелер салатын "
        "айыппұлдар, өсімпұлдар, санкциялар, өндіріп алулар",
        "Штрафы, пени, санкции, взыскания, налагаемые государственными "
        "учреждениями, финансируемыми из государственного бюджета",
        False,
        120,
    ),
    (
        "2 06 1",
        "Басқа да салықтық емес түсімдер (ерікті қайырмалдықтарды қоса алғанда)",
        "Прочие неналоговые поступления (включая добровольные пожертвования)",
        False,
        130,
    ),
    (
        "3 01 1",
        "Мемлекеттік мекемелерге бекітілген мемлекеттік мүлікті сату",
        "Продажа государственного имущества, закрепленного за государственными "
        "учреждениями",
        False,
        210,
    ),
    (
        "4 02 3 03",
        "Аудандық бюджеттен берілетін субвенциялар",
        "Субвенции из районного бюджета",
        True,
        310,
    ),
    (
        "4 02 3 01",
        "Аудандық бюджеттен берілетін ағымдағы нысаналы трансферттер",
        "Целевые текущие трансферты из районного бюджета",
        True,
        320,
    ),
    (
        "4 02 3 02",
        "Аудандық бюджеттен берілетін дамуға арналған нысаналы трансферттер",
        "Целевые трансферты на развитие из районного бюджета",
        True,
        330,
    ),
]

# (code, Kazakh name, Russian name, position): position's hundreds are the functional group.
EXPENDITURES = [
    (
        "124 001",
        "Аудандық маңызы бар қала, ауыл, кент, ауылдық округ әкімінің қызметін "
        "қамтамасыз ету жөніндегі қызметтер",
        "Услуги по обеспечению деятельности акима города районного значения, села, "
        "поселка, сельского округа",
        101,
    ),
    (
        "124 022",
        "Мемлекеттік органның күрделі шығыстары",
        "Капитальные расходы государственного органа",
        102,
    ),
    (
        "124 005",
        "Ауылдық жерлерде оқушыларды жақын жердегі мектепке дейін тегін алып баруды "
        "және одан алып қайтуды ұйымдастыру",
        "Организация бесплатного подвоза учащихся до ближайшей школы и обратно в "
        "сельской местности",
        401,
    ),
    (
        "124 003",
        "Мұқтаж азаматтарға үйде әлеуметтік көмек көрсету",
        "Оказание социальной помощи нуждающимся гражданам на дому",
        601,
    ),
    (
        "124 014",
        "Елді мекендерді сумен жабдықтауды ұйымдастыру",
        "Организация водоснабжения населенных пунктов",
        701,
    ),
    (
        "124 008",
        "Елді мекендердегі көшелерді жарықтандыру",
        "Освещение улиц в населенных пунктах",
        702,
    ),
    (
        "124 009",
        "Елді мекендердің санитариясын қамтамасыз ету",
        "Обеспечение санитарии населенных пунктов",
        703,
    ),
    (
        "124 010",
        "Жерлеу орындарын ұстау және туыстары жоқ адамдарды жерлеу",
        "Содержание мест захоронений и погребение безродных",
        704,
    ),
    (
        "124 011",
        "Елді мекендерді абаттандыру мен көгалдандыру",
        "Благоустройство и озеленение населенных пунктов",
        705,
    ),
    (
        "124 006",
        "Жергілікті деңгейде мәдени-демалыс жұмысын қолдау",
        "Поддержка культурно-досуговой работы на местном уровне",
        801,
    ),
    (
        "124 028",
        "Жергілікті деңгейде дене шынықтыру-сауықтыру және спорттық іс-шараларды "
        "өткізу",
        "Проведение физкультурно-оздоровительных и спортивных мероприятий на местном "
        "уровне",
        802,
    ),
    (
        "124 013",
        "Аудандық маңызы бар қалаларда, ауылдарда, кенттерде, ауылдық округтерде "
        "автомобиль жолдарының жұмыс істеуін қамтамасыз ету",
        "Обеспечение функционирования автомобильных дорог в городах районного "
        "значения, селах, поселках, сельских округах",
        1201,
    ),
    (
        "124 045",
        "Аудандық маңызы бар қалаларда, ауылдарда, кенттерде, ауылдық округтерде "
        "автомобиль жолдарын күрделі және орташа жөндеу",
        "Капитальный и средний ремонт автомобильных дорог в городах районного "
        "значения, селах, поселках, сельских округах",
        1202,
    ),
    (
        "124 040",
        "Өңірлерді дамытудың мемлекеттік бағдарламасы шеңберінде өңірлерді "
        "экономикалық дамытуға жәрдемдесу бойынша шараларды іске асыруға ауылдық "
        "елді мекендерді жайластыруды шешуге арналған іс-шараларды іске асыру",
        "Реализация мероприятий по решению вопросов обустройства сельских населенных "
        "пунктов в реализацию мер по содействию экономическому развитию регионов в "
        "рамках государственной программы развития регионов",
        1301,
    ),
    (
        "124 057",
        "«Ауыл — Ел бесігі» жобасы шеңберінде ауылдық елді мекендердегі әлеуметтік "
        "және инженерлік инфрақұрылым бойынша іс-шараларды іске асыру",
        "Реализация мероприятий по социальной и инженерной инфраструктуре в сельских "
        "населенных пунктах в рамках проекта «Ауыл — Ел бесігі»",
        1302,
    ),
]


def _entries():
    for code, name_kk, name_ru, is_transfer, position in REVENUES:
        yield REVENUE, code, name_kk, name_ru, is_transfer, position
    for code, name_kk, name_ru, position in EXPENDITURES:
        yield EXPENDITURE, code, name_kk, name_ru, False, position


def seed(apps, schema_editor):
    BudgetClassification = apps.get_model("budgets", "BudgetClassification")
    PhaseCalendar = apps.get_model("budgets", "PhaseCalendar")
    for kind, code, name_kk, name_ru, is_transfer, position in _entries():
        # An entry an administrator already made under the same code is theirs: kept.
        BudgetClassification.objects.get_or_create(
            kind=kind,
            code=code,
            defaults={
                "name_kk": name_kk,
                "name_ru": name_ru,
                "is_transfer": is_transfer,
                "position": position,
            },
        )
    # The model's defaults are the national calendar.
    PhaseCalendar.objects.get_or_create(region=None)


def unseed(apps, schema_editor):
    BudgetClassification = apps.get_model("budgets", "BudgetClassification")
    PhaseCalendar = apps.get_model("budgets", "PhaseCalendar")
    for kind, code, *_rest in _entries():
        BudgetClassification.objects.filter(kind=kind, code=code).delete()
    PhaseCalendar.objects.filter(region=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
