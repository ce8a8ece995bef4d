"""Loads the demo: the Burabay district of Akmola region with its akimats' contacts, an
account in every role, a budget cycle in every phase a user acts in (placed around today:
see budgets/demo.py), the proposals, the maslikhat's votes and the residents' votes; then
says which unit is in which phase today, what to do there and as whom.

Idempotent: a second run updates the territory, leaves the accounts and every unit that has
a cycle as they are, and prints the same guide. The passwords are for the demo data only
and are listed in the README.
"""

import datetime
from pathlib import Path

from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Residency, Role, RoleMembership, User
from budgets import demo as budgets_demo
from budgets.demo import load_budget_demo
from budgets.models import BudgetCycle
from budgets.selectors import cycle_state
from community.demo import load_gatherings_demo
from maslikhat.demo import DemoMaslikhat, deputies_seated
from portal.demo import load_akimat_demo
from portal.models import AdministrativeUnit
from proposals.demo import load_proposals_demo
from votes.demo import load_votes_demo

DEMO_DIR = Path(__file__).resolve().parents[3] / "portal" / "fixtures" / "demo"
DEMO_PASSWORD = "qatysu-demo-2026"  # noqa: S105 (demo data only, listed in the README)

# Burabay district (117000000) and its units, all real KATO codes.
DISTRICT = "117000000"
RURAL_DISTRICT = "117051000"  # Zlatopolye rural district
VILLAGE = "117051100"  # the village of Zlatopolye, within it
OTHER_RURAL_DISTRICT = "117037000"  # Vedenovka rural district
OTHER_VILLAGE = "117037100"  # the village of Vedenovka, within it
VOTING_UNIT = "117049000"  # Zeleny Bor rural district: its residents' vote is open
VOTING_VILLAGE = "117049100"  # the village of Zeleny Bor
VOTING_HAMLET = "117049600"  # the village of Madeniet
TOWN = "117020000"  # the town administration of Shchuchinsk
ATAMEKEN = "117055000"  # review
URUMKAI = "117061000"  # drafting
USPENOYURIEVKA = "117063000"  # coordination
KATARKOL = "117057000"  # execution
KENESARY = "117053000"  # its residents' vote counted

# (e-mail, first name, last name, IIN, roles as (role, unit code)).
ACCOUNTS = [
    ("admin@demo.qatysu.kz", "Әкімші", "Демо", None, []),
    ("akim@demo.qatysu.kz", "Болат", "Сейітов", None, [(Role.AKIM, RURAL_DISTRICT)]),
    (
        "staff@demo.qatysu.kz",
        "Айгүл",
        "Нұрланова",
        None,
        [(Role.AKIMAT_STAFF, RURAL_DISTRICT)],
    ),
    (
        "staff.vedenovka@demo.qatysu.kz",
        "Марат",
        "Жақсыбеков",
        None,
        [(Role.AKIMAT_STAFF, OTHER_RURAL_DISTRICT)],
    ),
    ("moderator@demo.qatysu.kz", "Дана", "Омарова", None, [(Role.MODERATOR, DISTRICT)]),
    (
        "chairman@demo.qatysu.kz",
        "Ерлан",
        "Қасымов",
        None,
        [(Role.MASLIKHAT_CHAIRMAN, DISTRICT)],
    ),
    (
        "deputy@demo.qatysu.kz",
        "Гүлнар",
        "Әлиева",
        None,
        [(Role.MASLIKHAT_DEPUTY, DISTRICT)],
    ),
    ("resident@demo.qatysu.kz", "Асель", "Бекова", "900101300017", []),
    ("neighbour@demo.qatysu.kz", "Серік", "Жұмабаев", "880315401009", []),
    ("resident.vedenovka@demo.qatysu.kz", "Ольга", "Ким", "870214401008", []),
    ("neighbour.vedenovka@demo.qatysu.kz", "Мақсат", "Ержанов", "910506301009", []),
    ("newcomer@demo.qatysu.kz", "Нұржан", "Ахметов", "850512400708", []),
    (
        "staff.zelenybor@demo.qatysu.kz",
        "Жанар",
        "Сәрсенова",
        None,
        [(Role.AKIMAT_STAFF, VOTING_UNIT)],
    ),
    ("resident.zelenybor@demo.qatysu.kz", "Данияр", "Оспанов", "830909310150", []),
    ("neighbour.zelenybor@demo.qatysu.kz", "Татьяна", "Белова", "950214410232", []),
    (
        "staff.atameken@demo.qatysu.kz",
        "Ержан",
        "Төлеуов",
        None,
        [(Role.AKIMAT_STAFF, ATAMEKEN)],
    ),
    (
        "akim.atameken@demo.qatysu.kz",
        "Мейрамбек",
        "Сұлтанов",
        None,
        [(Role.AKIM, ATAMEKEN)],
    ),
    (
        "staff.urumkai@demo.qatysu.kz",
        "Лаура",
        "Қабылова",
        None,
        [(Role.AKIMAT_STAFF, URUMKAI)],
    ),
    (
        "staff.uspenoyurievka@demo.qatysu.kz",
        "Ирина",
        "Ковальчук",
        None,
        [(Role.AKIMAT_STAFF, USPENOYURIEVKA)],
    ),
    (
        "akim.uspenoyurievka@demo.qatysu.kz",
        "Дәурен",
        "Есенов",
        None,
        [(Role.AKIM, USPENOYURIEVKA)],
    ),
    (
        "staff.katarkol@demo.qatysu.kz",
        "Гүлмира",
        "Оразова",
        None,
        [(Role.AKIMAT_STAFF, KATARKOL)],
    ),
]

# Where to go, in the order of the chain: (unit, what to do there, as whom).
GUIDE = [
    (
        budgets_demo.VEDENOVKA,
        _("residents write, support and discuss proposals"),
        ["resident.vedenovka@demo.qatysu.kz", "staff.vedenovka@demo.qatysu.kz"],
    ),
    (
        ATAMEKEN,
        _(
            "the akimat reviews proposals (two reviews are past their deadline); the "
            "akim decides on the assessed ones"
        ),
        ["staff.atameken@demo.qatysu.kz", "akim.atameken@demo.qatysu.kz"],
    ),
    (
        VOTING_UNIT,
        _("residents vote on projects; the akimat enters paper ballots"),
        ["resident.zelenybor@demo.qatysu.kz", "staff.zelenybor@demo.qatysu.kz"],
    ),
    (
        URUMKAI,
        _("the akimat prepares version 1 of the draft budget and publishes it"),
        ["staff.urumkai@demo.qatysu.kz"],
    ),
    (
        RURAL_DISTRICT,
        _("residents comment on the published draft; the akimat answers"),
        ["resident@demo.qatysu.kz", "staff@demo.qatysu.kz"],
    ),
    (
        USPENOYURIEVKA,
        _(
            "the akimat records the community meeting's decision; then the akim "
            "submits the draft to the maslikhat"
        ),
        [
            "staff.uspenoyurievka@demo.qatysu.kz",
            "akim.uspenoyurievka@demo.qatysu.kz",
        ],
    ),
    (
        budgets_demo.BURABAY_SETTLEMENT,
        _(
            "a voting session of the maslikhat is open: the chairman and the deputy "
            "have still to vote, and their votes decide"
        ),
        ["chairman@demo.qatysu.kz", "deputy@demo.qatysu.kz"],
    ),
    (
        budgets_demo.ABYLAIKHAN,
        _("read the roll call of the maslikhat's vote that adopted the budget"),
        [],
    ),
    (
        KATARKOL,
        _(
            "the akimat reports each quarter's execution; anyone reads plan against actual"
        ),
        ["staff.katarkol@demo.qatysu.kz"],
    ),
    (
        KENESARY,
        _("read the counted residents' vote and recount its .pb file"),
        [],
    ),
]


class Command(BaseCommand):
    help = "Load the demo territory (Burabay district) and an account in every role."

    def handle(self, *args, **options):
        already_loaded = BudgetCycle.objects.filter(
            unit__kato_code__in=[code for code, _what, _whom in GUIDE]
        ).exists()
        call_command("import_kato", DEMO_DIR / "kato-demo.csv", stdout=self.stdout)
        call_command(
            "import_population", DEMO_DIR / "population.csv", stdout=self.stdout
        )
        load_akimat_demo()
        with transaction.atomic():
            admin = self._accounts()
            self._residencies(admin)
        load_budget_demo(
            admin=admin,
            staff=User.objects.get(email="staff@demo.qatysu.kz"),
            resident=User.objects.get(email="resident@demo.qatysu.kz"),
            maslikhat=DemoMaslikhat(
                chairman=User.objects.get(email="chairman@demo.qatysu.kz"),
                deputy=User.objects.get(email="deputy@demo.qatysu.kz"),
            ),
        )
        load_proposals_demo(
            atameken_staff=User.objects.get(email="staff.atameken@demo.qatysu.kz"),
            atameken_akim=User.objects.get(email="akim.atameken@demo.qatysu.kz"),
            vedenovka_staff=User.objects.get(email="staff.vedenovka@demo.qatysu.kz"),
            vedenovka_residents=[
                User.objects.get(email="resident.vedenovka@demo.qatysu.kz"),
                User.objects.get(email="neighbour.vedenovka@demo.qatysu.kz"),
            ],
            staff=User.objects.get(email="staff@demo.qatysu.kz"),
            akim=User.objects.get(email="akim@demo.qatysu.kz"),
            residents=[
                User.objects.get(email="resident@demo.qatysu.kz"),
                User.objects.get(email="neighbour@demo.qatysu.kz"),
            ],
        )
        load_votes_demo(
            admin=admin,
            zeleny_bor_staff=User.objects.get(email="staff.zelenybor@demo.qatysu.kz"),
        )
        load_gatherings_demo(
            unit_code=RURAL_DISTRICT,
            village_code=VILLAGE,
            staff=User.objects.get(email="staff@demo.qatysu.kz"),
            akim=User.objects.get(email="akim@demo.qatysu.kz"),
            residents=[iin for _email, _first, _last, iin, _roles in ACCOUNTS if iin][
                :2
            ],
        )
        self.stdout.write(self.style.SUCCESS(gettext("Demo data loaded.")))
        if already_loaded:
            self.stdout.write(
                gettext(
                    "The demo was already loaded: nothing was added, and its cycles "
                    "have moved on with the days since. To place it around today "
                    "again, load it into a new database."
                )
            )
        self._guide()

    def _guide(self) -> None:
        """Which unit is in which phase today, what to do there and as whom."""
        cycles = {
            cycle.unit.kato_code: cycle
            for cycle in BudgetCycle.objects.select_related("unit")
            .filter(unit__kato_code__in=[code for code, _what, _whom in GUIDE])
            .order_by("fiscal_year")
        }
        self.stdout.write(
            gettext("Where each phase is today (every password: %(password)s):")
            % {"password": DEMO_PASSWORD}
        )
        for code, what, whom in GUIDE:
            cycle = cycles.get(code)
            if cycle is None:
                continue
            self.stdout.write(
                gettext("- %(unit)s, the %(year)s budget: %(phase)s. %(what)s.")
                % {
                    "unit": cycle.unit.name,
                    "year": cycle.fiscal_year,
                    "phase": cycle_state(cycle).label,
                    "what": what[:1].upper() + what[1:],
                }
            )
            self.stdout.write(
                "  http://127.0.0.1:8000"
                + reverse(
                    "budgets:cycle_detail",
                    kwargs={"kato_code": code, "fiscal_year": cycle.fiscal_year},
                )
            )
            if whom:
                self.stdout.write(
                    "  " + gettext("as %(accounts)s") % {"accounts": ", ".join(whom)}
                )

    def _accounts(self) -> User:
        # Roles held since before the demo's budget history begins (the executed
        # budget's preparation, last year).
        roles_since = datetime.date(timezone.localdate().year - 3, 1, 1)
        admin = None
        for email, first_name, last_name, iin, roles in ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first_name, "last_name": last_name},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = user.is_superuser = email.startswith("admin@")
                user.save()
                user.emailaddress_set.create(email=email, verified=True, primary=True)
            if iin and not user.has_iin:
                services.user_set_iin(user=user, iin=iin)
            if admin is None:
                admin = user
            for role, code in roles:
                unit = AdministrativeUnit.objects.get(kato_code=code)
                if not RoleMembership.objects.filter(
                    user=user, role=role, unit=unit
                ).exists():
                    services.role_grant(
                        user=user,
                        role=role,
                        unit=unit,
                        actor=admin,
                        starts_on=roles_since,
                    )
        deputies_seated(
            district=AdministrativeUnit.objects.get(kato_code=DISTRICT),
            admin=admin,
            since=roles_since,
        )
        return admin

    def _residencies(self, admin: User) -> None:
        village = AdministrativeUnit.objects.with_ancestors().get(kato_code=VILLAGE)
        resident = User.objects.get(email="resident@demo.qatysu.kz")
        if not Residency.objects.filter(user=resident).exists():
            residency = services.residency_claim(user=resident, place=village)
            staff = User.objects.get(email="staff@demo.qatysu.kz")
            services.residency_verify(residency=residency, actor=staff)
        verifier = {
            VILLAGE: "staff@demo.qatysu.kz",
            OTHER_VILLAGE: "staff.vedenovka@demo.qatysu.kz",
            VOTING_VILLAGE: "staff.zelenybor@demo.qatysu.kz",
            VOTING_HAMLET: "staff.zelenybor@demo.qatysu.kz",
        }
        for email, code in (
            ("neighbour@demo.qatysu.kz", VILLAGE),
            ("resident.vedenovka@demo.qatysu.kz", OTHER_VILLAGE),
            ("neighbour.vedenovka@demo.qatysu.kz", OTHER_VILLAGE),
            ("resident.zelenybor@demo.qatysu.kz", VOTING_VILLAGE),
            ("neighbour.zelenybor@demo.qatysu.kz", VOTING_HAMLET),
        ):
            person = User.objects.get(email=email)
            if not Residency.objects.filter(user=person).exists():
                place = AdministrativeUnit.objects.with_ancestors().get(kato_code=code)
                claim = services.residency_claim(user=person, place=place)
                services.residency_verify(
                    residency=claim, actor=User.objects.get(email=verifier[code])
                )
        newcomer = User.objects.get(email="newcomer@demo.qatysu.kz")
        if not Residency.objects.filter(user=newcomer).exists():
            services.residency_claim(user=newcomer, place=village)
