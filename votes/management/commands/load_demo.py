"""Loads the demo: the Burabay district of Akmola region with its akimats' contacts, an
account in every role, the budget cycles, the proposals and the residents' votes.

Idempotent: a second run updates the territory and leaves the accounts as they are. The
passwords are for the demo data only and are listed in the README.
"""

import datetime
from pathlib import Path

from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.utils.translation import gettext

from accounts import services
from accounts.models import Residency, Role, RoleMembership, User
from budgets.demo import load_budget_demo
from portal.demo import load_akimat_demo
from portal.models import AdministrativeUnit
from proposals.demo import load_proposals_demo
from votes.demo import load_votes_demo

DEMO_ROLES_SINCE = datetime.date(2024, 1, 1)
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
]


class Command(BaseCommand):
    help = "Load the demo territory (Burabay district) and an account in every role."

    def handle(self, *args, **options):
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
            akim=User.objects.get(email="akim@demo.qatysu.kz"),
            resident=User.objects.get(email="resident@demo.qatysu.kz"),
        )
        load_proposals_demo(
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
        self.stdout.write(self.style.SUCCESS(gettext("Demo data loaded.")))

    def _accounts(self) -> User:
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
                    # Roles held since before the demo's budget history begins.
                    services.role_grant(
                        user=user,
                        role=role,
                        unit=unit,
                        actor=admin,
                        starts_on=DEMO_ROLES_SINCE,
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
