"""Plain-language names beside the official classification, for the citizen's budget.

Adds, per language, a name a resident would use ("Көшелерді жарықтандыру", «Освещение
улиц») and one line on what the entry pays for, and fills both for the entries that
0002 seeded. They are data an administrator keeps in the admin and may rewrite: an entry
whose plain name is already written keeps it. The reverse drops the fields.
"""

from django.db import migrations, models


# code: (plain kk, plain ru, plain en, purpose kk, purpose ru, purpose en)
REVENUES = {
    "1 01 2 02": (
        "Өзі төлейтін табыс салығы",
        "Подоходный налог, который платят сами",
        "Income tax people pay themselves",
        "Кәсіпкерлер мен тұрғындар өз табысынан өздері төлейтін салық",
        "Налог, который предприниматели и жители сами платят со своих доходов",
        "Tax that entrepreneurs and residents pay on their own income",
    ),
    "1 04 1 02": (
        "Үй мен пәтерге салық",
        "Налог на дома и квартиры",
        "Tax on homes",
        "Тұрғындар өз үйі мен пәтері үшін төлейді",
        "Жители платят за свои дома и квартиры",
        "Residents pay it on their houses and flats",
    ),
    "1 04 3": (
        "Жер салығы",
        "Налог на землю",
        "Land tax",
        "Жер учаскелерінің иелері төлейді",
        "Платят владельцы земельных участков",
        "Paid by the owners of land plots",
    ),
    "1 04 4 02": (
        "Тұрғындардың көлік салығы",
        "Транспортный налог жителей",
        "Residents' vehicle tax",
        "Тұрғындар өз көлігі үшін жыл сайын төлейді",
        "Жители ежегодно платят за свои машины",
        "Residents pay it every year on their cars",
    ),
    "1 04 4 01": (
        "Кәсіпорындардың көлік салығы",
        "Транспортный налог предприятий",
        "Companies' vehicle tax",
        "Кәсіпорындар өз көлігі үшін жыл сайын төлейді",
        "Предприятия ежегодно платят за свой транспорт",
        "Companies pay it every year on their vehicles",
    ),
    "1 05 3": (
        "Көшедегі жарнама үшін төлем",
        "Плата за уличную рекламу",
        "Fees for street advertising",
        "Көшеде жарнама ілгендер төлейді",
        "Платят те, кто размещает рекламу на улицах",
        "Paid by those who put up advertising in the streets",
    ),
    "1 08 1": (
        "Құжаттар үшін баж",
        "Пошлина за документы",
        "Fees for documents",
        "Әкімдік ресімдейтін құжаттар мен анықтамалар үшін төленеді",
        "Платится за документы и справки, которые оформляет аппарат акима",
        "Paid for the documents and certificates the akim's office issues",
    ),
    "2 01 5": (
        "Ауыл мүлкін жалға беру",
        "Аренда сельского имущества",
        "Rent of communal property",
        "Әкімдікке тиесілі ғимараттар мен үй-жайлардың жалдау ақысы",
        "Арендная плата за здания и помещения, принадлежащие аппарату акима",
        "Rent paid for the buildings and rooms the akim's office owns",
    ),
    "2 04 1": (
        "Айыппұлдар",
        "Штрафы",
        "Fines",
        "Әкім салған айыппұлдар",
        "Штрафы, наложенные акимом",
        "Fines the akim imposes",
    ),
    "2 06 1": (
        "Қайырымдылық және басқа түсімдер",
        "Пожертвования и другие поступления",
        "Donations and other receipts",
        "Ерікті қайырмалдықтар және басқа салықтық емес түсімдер",
        "Добровольные пожертвования и другие неналоговые поступления",
        "Voluntary donations and other non-tax receipts",
    ),
    "3 01 1": (
        "Мүлікті сату",
        "Продажа имущества",
        "Sale of property",
        "Әкімдікке қажет емес мүлікті сатудан түскен ақша",
        "Деньги от продажи имущества, которое больше не нужно аппарату акима",
        "Money from selling property the akim's office no longer needs",
    ),
    "4 02 3 03": (
        "Аудан беретін субвенция",
        "Субвенция от района",
        "Subvention from the district",
        "Өз кірісі жетпегенін жабу үшін аудан бюджетінен берілетін ақша",
        "Деньги из бюджета района, покрывающие нехватку собственных доходов",
        "Money from the district budget to make up for too little own revenue",
    ),
    "4 02 3 01": (
        "Ауданнан нақты мақсатқа берілген ақша",
        "Деньги от района на конкретные цели",
        "District money for specific purposes",
        "Аудан белгілі бір жұмысқа ғана беретін ағымдағы трансферттер",
        "Текущие трансферты, которые район даёт только на определённые работы",
        "Current transfers the district gives for named work only",
    ),
    "4 02 3 02": (
        "Ауданнан құрылысқа берілген ақша",
        "Деньги от района на строительство",
        "District money for building",
        "Аудан салу мен дамытуға беретін нысаналы трансферттер",
        "Целевые трансферты района на строительство и развитие",
        "Targeted transfers from the district for building and development",
    ),
}

EXPENDITURES = {
    "124 001": (
        "Әкім аппаратының жұмысы",
        "Работа аппарата акима",
        "Running the akim's office",
        "Әкімдік қызметкерлерінің жалақысы, кеңсе, байланыс, жылу",
        "Зарплата сотрудников аппарата акима, офис, связь, отопление",
        "Salaries of the akim's staff, the office, telephone and heating",
    ),
    "124 022": (
        "Әкімдікке жабдық пен жөндеу",
        "Оборудование и ремонт аппарата акима",
        "Equipment and repairs for the akim's office",
        "Компьютерлер, жиһаз, көлік және ғимаратты жөндеу",
        "Компьютеры, мебель, транспорт и ремонт здания",
        "Computers, furniture, a vehicle and repairs of the building",
    ),
    "124 005": (
        "Балаларды мектепке тасу",
        "Подвоз детей в школу",
        "Taking children to school",
        "Алыс ауылдардағы оқушыларды мектепке тегін апарып, алып қайту",
        "Бесплатный подвоз школьников из дальних сёл до школы и обратно",
        "Free rides to school and back for pupils from distant villages",
    ),
    "124 003": (
        "Қарттарға үйде күтім",
        "Уход за пожилыми на дому",
        "Home care for the elderly",
        "Жалғыз басты қарттар мен мүгедектігі бар адамдарға әлеуметтік қызметкердің "
        "көмегі",
        "Помощь социального работника одиноким пожилым людям и людям с инвалидностью",
        "A social worker's help for elderly people living alone and people with "
        "disabilities",
    ),
    "124 014": (
        "Ауылды сумен қамту",
        "Водоснабжение сёл",
        "Water supply",
        "Су құбыры мен құдықтарды ұстау",
        "Содержание водопровода и колодцев",
        "Upkeep of the water pipes and wells",
    ),
    "124 008": (
        "Көшелерді жарықтандыру",
        "Освещение улиц",
        "Lighting the streets",
        "Көше шамдары, олардың электр қуаты мен жөндеуі",
        "Уличные фонари, электричество для них и их ремонт",
        "Street lamps, their electricity and repairs",
    ),
    "124 009": (
        "Қоқыс шығару және тазалық",
        "Вывоз мусора и чистота",
        "Rubbish collection and cleanliness",
        "Қоқысты шығару, көшелер мен қоғамдық орындарды тазалау",
        "Вывоз мусора, уборка улиц и общественных мест",
        "Taking away rubbish, cleaning streets and public places",
    ),
    "124 010": (
        "Зираттарды күтіп ұстау",
        "Содержание кладбищ",
        "Upkeep of cemeteries",
        "Зираттарды қоршау, тазалау және туыстары жоқ адамдарды жерлеу",
        "Ограждение и уборка кладбищ, погребение людей без родственников",
        "Fencing and cleaning cemeteries, burying people with no relatives",
    ),
    "124 011": (
        "Ағаштар, саябақтар мен алаңдар",
        "Деревья, парки и детские площадки",
        "Trees, parks and playgrounds",
        "Ағаш отырғызу, гүлзарлар, балалар алаңдары, орындықтар",
        "Посадка деревьев, клумбы, детские площадки, скамейки",
        "Planting trees, flower beds, playgrounds, benches",
    ),
    "124 006": (
        "Мәдениет үйі және мерекелер",
        "Дом культуры и праздники",
        "House of culture and celebrations",
        "Ауылдық клубтың жұмысы, үйірмелер мен мерекелік іс-шаралар",
        "Работа сельского клуба, кружки и праздничные мероприятия",
        "The village club, its circles and the celebrations",
    ),
    "124 028": (
        "Спорт жарыстары",
        "Спортивные соревнования",
        "Sports events",
        "Ауылдағы жарыстар мен сауықтыру іс-шаралары",
        "Соревнования и оздоровительные мероприятия в селе",
        "Competitions and keep-fit events in the village",
    ),
    "124 013": (
        "Қар тазалау және жолдарды күту",
        "Уборка снега и содержание дорог",
        "Clearing snow and looking after roads",
        "Қыста жолдарды қардан тазалау, шұңқырларды жабу, жол белгілері",
        "Расчистка дорог от снега зимой, ямочный ремонт, дорожные знаки",
        "Clearing the roads of snow in winter, patching potholes, road signs",
    ),
    "124 045": (
        "Жолдарды жөндеу",
        "Ремонт дорог",
        "Repairing roads",
        "Ауыл көшелерін күрделі және орташа жөндеу",
        "Капитальный и средний ремонт сельских улиц",
        "Major and medium repairs of village streets",
    ),
    "124 040": (
        "Ауылды жайластыру",
        "Обустройство села",
        "Improving the village",
        "Өңірлерді дамыту бағдарламасы бойынша ауылды жайластыру жұмыстары",
        "Работы по обустройству села по программе развития регионов",
        "Improvement works in the village under the regions' development programme",
    ),
    "124 057": (
        "«Ауыл — Ел бесігі» жобасы",
        "Проект «Ауыл — Ел бесігі»",
        "The “Auyl — El Besigi” project",
        "Ауылдағы мектеп, клуб, су құбыры, жол сияқты нысандарды салу және жөндеу",
        "Строительство и ремонт школ, клубов, водопровода и дорог в сёлах",
        "Building and repairing schools, clubs, water pipes and roads in villages",
    ),
}

FIELDS = (
    "plain_name_kk",
    "plain_name_ru",
    "plain_name_en",
    "purpose_kk",
    "purpose_ru",
    "purpose_en",
)


def fill(apps, schema_editor):
    BudgetClassification = apps.get_model("budgets", "BudgetClassification")
    for kind, names in (("revenue", REVENUES), ("expenditure", EXPENDITURES)):
        for entry in BudgetClassification.objects.filter(kind=kind, code__in=names):
            values = dict(zip(FIELDS, names[entry.code], strict=True))
            # What an administrator already wrote is theirs: kept.
            changed = [field for field in FIELDS if not getattr(entry, field)]
            for field in changed:
                setattr(entry, field, values[field])
            entry.save(update_fields=changed)


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0008_residents_vote_phase'),
    ]

    operations = [
        migrations.AddField(
            model_name='budgetclassification',
            name='plain_name_en',
            field=models.CharField(blank=True, max_length=120, verbose_name='plain-language name in English'),
        ),
        migrations.AddField(
            model_name='budgetclassification',
            name='plain_name_kk',
            field=models.CharField(blank=True, max_length=120, verbose_name='plain-language name in Kazakh'),
        ),
        migrations.AddField(
            model_name='budgetclassification',
            name='plain_name_ru',
            field=models.CharField(blank=True, max_length=120, verbose_name='plain-language name in Russian'),
        ),
        migrations.AddField(
            model_name='budgetclassification',
            name='purpose_en',
            field=models.CharField(blank=True, max_length=200, verbose_name='what it pays for, in English'),
        ),
        migrations.AddField(
            model_name='budgetclassification',
            name='purpose_kk',
            field=models.CharField(blank=True, max_length=200, verbose_name='what it pays for, in Kazakh'),
        ),
        migrations.AddField(
            model_name='budgetclassification',
            name='purpose_ru',
            field=models.CharField(blank=True, max_length=200, verbose_name='what it pays for, in Russian'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
