"""The household register: staff import it as CSV or XLSX (bad rows refused with their
row, nothing half-imported, the same file again changes nothing), and where the akim
chooses it confirms the residency claims it lists, each confirmation audited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts import services
from accounts.iin import iin_digest
from accounts.models import (
    RegisterEntry,
    RegisterImport,
    Residency,
    ResidencyStatus,
    Role,
    UnitVerification,
    VerificationChannel,
)
from accounts.register import RegisterRefused, register_rows
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.accounts.factories import (
    MembershipFactory,
    ResidencyFactory,
    UserFactory,
    make_iin,
)

ANNA, BOLAT, CHINGIZ = (
    make_iin(101),
    make_iin(102),
    make_iin(103, born="100315", century_sex=5),
)


def csv_file(text: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "register.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def good_csv(territory) -> str:
    village = territory["village"].kato_code
    return (
        "IIN;KATO;Street;House;Flat;Phone\n"
        f"{ANNA};{village};Абай;12;;+7 701 123 45 67\n"
        f"{BOLAT};{village};Абай;14;3;\n"
        f"{CHINGIZ};{village};Жібек жолы;1;;\n"
    )


def test_a_register_is_read_with_its_iin_never_kept_in_clear(territory):
    rows = register_rows(csv_file(good_csv(territory)), territory["rural_district"])

    assert [(row.line, row.iin_last4, row.street, row.house) for row in rows] == [
        (2, ANNA[-4:], "Абай", "12"),
        (3, BOLAT[-4:], "Абай", "14"),
        (4, CHINGIZ[-4:], "Жібек жолы", "1"),
    ]
    assert rows[0].iin_digest == iin_digest(ANNA)
    assert rows[0].phone == "+77011234567"
    assert str(rows[2].birth_date) == "2010-03-15"
    assert not any(ANNA in str(value) for value in vars(rows[0]).values())


def test_an_xlsx_with_russian_column_names_reads_the_same(territory):
    village = territory["village"].kato_code
    upload = xlsx_file(
        [["ИИН", "КАТО", "Улица", "Дом"], [int(BOLAT), int(village), "Абай", 14]]
    )

    (row,) = register_rows(upload, territory["rural_district"])

    assert (row.iin_digest, row.place_id, row.house) == (
        iin_digest(BOLAT),
        territory["village"].pk,
        "14",
    )


def test_a_unit_of_one_settlement_needs_no_kato_column(territory):
    unit = territory["village_administration"]

    (row,) = register_rows(csv_file(f"жсн,көше,үй\n{ANNA},Абай,1\n"), unit)

    assert row.place_id == unit.pk


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("123;{village};Абай;1", "An IIN is exactly 12 digits."),
        ("{bad_check};{village};Абай;1", "check digit is wrong"),
        (
            "{anna};999999999;Абай;1",
            "KATO code 999999999 is not a settlement of this unit.",
        ),
        ("{anna};{other};Абай;1", "is not a settlement of this unit"),
        ("{anna};;Абай;1", "Give the KATO code of the settlement"),
        (
            "{anna};{village};" + "А" * 101 + ";1",
            "The street is longer than 100 characters.",
        ),
        ("{anna};{village};Абай;1;;+7 727 250 00 00", "Kazakhstan mobile number"),
    ],
)
def test_a_bad_row_is_refused_with_its_number_and_nothing_is_imported(
    territory, staff, line, expected
):
    text = (
        "IIN;KATO;Street;House;Flat;Phone\n"
        f"{BOLAT};{territory['village'].kato_code};Абай;14\n"
        + line.format(
            village=territory["village"].kato_code,
            other=territory["other_rural_district"].kato_code,
            anna=ANNA,
            bad_check=ANNA[:11] + str((int(ANNA[11]) + 1) % 10),
        )
        + "\n"
    )

    with pytest.raises(RegisterRefused) as refused:
        register_rows(csv_file(text), territory["rural_district"])

    (error,) = refused.value.errors
    assert error.line == 3
    assert expected in error.message


def test_every_bad_row_is_listed_and_a_repeated_iin_names_its_first_row(territory):
    village = territory["village"].kato_code
    text = f"iin,kato\n{ANNA},{village}\n12,{village}\n{ANNA},{village}\n"

    with pytest.raises(RegisterRefused) as refused:
        register_rows(csv_file(text), territory["rural_district"])

    assert [(e.line, e.message) for e in refused.value.errors] == [
        (3, "An IIN is exactly 12 digits."),
        (4, "This IIN is already on row 2."),
    ]


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("register.pdf", b"%PDF-1.7"), "register_wrong_format"),
        (SimpleUploadedFile("register.xlsx", b"not a zip"), "register_wrong_format"),
        (SimpleUploadedFile("register.csv", b"\xff\xfe\x00b"), "register_wrong_format"),
        (SimpleUploadedFile("register.csv", b""), "register_empty_file"),
        (SimpleUploadedFile("register.csv", b"iin,kato\n"), "register_empty_file"),
        (
            SimpleUploadedFile("register.csv", b"name,kato\nA,1\n"),
            "register_missing_column",
        ),
    ],
)
def test_a_file_that_is_not_a_register_is_refused_with_a_code(territory, upload, code):
    with pytest.raises(DomainError) as refused:
        register_rows(upload, territory["rural_district"])

    assert refused.value.code == code


def _import(territory, staff, text):
    unit = territory["rural_district"]
    return services.register_import(
        unit=unit,
        actor=staff,
        rows=register_rows(csv_file(text), unit),
        filename="register.csv",
    )


def test_an_import_replaces_the_register_and_the_same_file_again_changes_nothing(
    territory, staff
):
    first = _import(territory, staff, good_csv(territory))
    again = _import(territory, staff, good_csv(territory))

    assert (first.rows, first.added, first.changed, first.removed) == (3, 3, 0, 0)
    assert (again.rows, again.added, again.changed, again.removed) == (3, 0, 0, 0)
    assert RegisterEntry.objects.filter(unit=territory["rural_district"]).count() == 3
    assert set(RegisterEntry.objects.values_list("imported_in", flat=True)) == {
        first.pk
    }

    village = territory["village"].kato_code
    moved = _import(
        territory,
        staff,
        f"IIN;KATO;Street;House;Flat\n{ANNA};{village};Абай;13;\n"
        f"{BOLAT};{village};Абай;14;3\n",
    )

    assert (moved.added, moved.changed, moved.removed) == (0, 1, 1)
    assert dict(RegisterEntry.objects.values_list("iin_last4", "house")) == {
        ANNA[-4:]: "13",
        BOLAT[-4:]: "14",
    }
    assert list(
        AuditEvent.objects.filter(verb="register.imported")
        .order_by("pk")
        .values_list("details__added", "details__removed")
    ) == [(3, 0), (0, 0), (0, 1)]


def test_a_refused_file_leaves_the_register_as_it_was(client, territory, staff):
    _import(territory, staff, good_csv(territory))
    client.force_login(staff)
    village = territory["village"].kato_code

    response = client.post(
        reverse("accounts:register", args=[territory["rural_district"].kato_code]),
        {
            "file": csv_file(f"IIN;KATO\n{make_iin(900)};{village}\n1;{village}\n"),
            "whole": "on",
        },
    )

    assert response.status_code == 400
    assert "Row 3" in response.content.decode()
    assert "Nothing was imported: 1 rows are wrong." in response.content.decode()
    assert RegisterEntry.objects.count() == 3
    assert RegisterImport.objects.count() == 1


def _pending(territory, iin, place=None):
    return ResidencyFactory(
        user=UserFactory(with_iin=True, iin=iin),
        place=place or territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    )


def test_the_register_confirms_the_claims_it_lists_where_the_akim_chose_it(
    territory, staff
):
    UnitVerification.objects.create(unit=territory["rural_district"], by_register=True)
    listed = _pending(territory, ANNA)
    elsewhere = _pending(territory, BOLAT, place=territory["rural_district"])
    unlisted = _pending(territory, make_iin(555))

    record = _import(territory, staff, good_csv(territory))

    listed.refresh_from_db()
    assert (listed.status, listed.channel, listed.decided_by) == (
        ResidencyStatus.VERIFIED,
        VerificationChannel.REGISTER,
        staff,
    )
    # The register puts Bolat in the village, not where he claimed to live.
    for claim in (elsewhere, unlisted):
        claim.refresh_from_db()
        assert claim.status == ResidencyStatus.PENDING
    assert record.confirmed == 1
    event = AuditEvent.objects.get(verb="residency.verified")
    assert event.details == {"channel": "register", "import": record.pk}
    assert Notification.objects.filter(
        recipient=listed.user, kind="residency_verified"
    ).exists()


def test_without_the_akims_choice_the_register_confirms_nobody(territory, staff):
    claim = _pending(territory, ANNA)

    record = _import(territory, staff, good_csv(territory))

    claim.refresh_from_db()
    assert (claim.status, record.confirmed) == (ResidencyStatus.PENDING, 0)


def test_staff_never_confirm_their_own_claim_by_importing(territory):
    staff_member = _pending(territory, ANNA).user
    MembershipFactory(
        user=staff_member, role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
    )
    UnitVerification.objects.create(unit=territory["rural_district"], by_register=True)

    _import(territory, staff_member, good_csv(territory))

    assert Residency.objects.get(user=staff_member).status == ResidencyStatus.PENDING


def test_a_new_claim_the_register_lists_is_confirmed_at_once(territory, staff):
    _import(territory, staff, good_csv(territory))
    UnitVerification.objects.create(unit=territory["rural_district"], by_register=True)
    user = UserFactory(last_name="Ivanova")

    residency = services.residency_claim(
        user=user, place=territory["village"], iin=ANNA
    )

    assert (residency.status, residency.channel) == ("verified", "register")
    assert not Notification.objects.filter(kind="residency_requested").exists()


def test_turning_the_register_on_confirms_the_claims_waiting(territory, staff):
    _import(territory, staff, good_csv(territory))
    claim = _pending(territory, BOLAT)
    akim = MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user

    services.verification_channels_set(
        unit=territory["rural_district"], actor=akim, by_register=True
    )
    services.verification_channels_set(
        unit=territory["rural_district"], actor=akim, by_register=True
    )

    claim.refresh_from_db()
    assert (claim.status, claim.channel) == ("verified", "register")
    assert AuditEvent.objects.filter(verb="verification.channels_set").count() == 1


def test_a_claim_confirmed_at_the_akimat_says_so(territory, staff):
    claim = _pending(territory, ANNA)

    services.residency_verify(residency=claim, actor=staff)

    claim.refresh_from_db()
    assert claim.channel == VerificationChannel.IN_PERSON


def test_staff_import_from_the_page_and_see_what_it_changed(client, territory, staff):
    client.force_login(staff)
    url = reverse("accounts:register", args=[territory["rural_district"].kato_code])

    empty = client.get(url)
    response = client.post(
        url, {"file": csv_file(good_csv(territory)), "whole": "on"}, follow=True
    )

    assert 'data-testid="register-empty"' in empty.content.decode()
    page = response.content.decode()
    assert (
        "3 residents, 3 added, 0 changed, 0 removed; 0 residency claims confirmed."
        in page
    )
    assert 'data-testid="register-total">3 residents' in page
    assert page.count('data-testid="import-row"') == 1


def test_the_whole_register_must_be_confirmed(client, territory, staff):
    client.force_login(staff)

    response = client.post(
        reverse("accounts:register", args=[territory["rural_district"].kato_code]),
        {"file": csv_file(good_csv(territory))},
    )

    assert response.status_code == 400
    assert "Confirm that the file is the whole register of the unit." in (
        response.content.decode()
    )
    assert not RegisterEntry.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_staff", "deputy"])
def test_only_the_units_staff_see_and_import_the_register(
    client, territory, resident, other_staff, who
):
    users = {
        "resident": resident,
        "other_staff": other_staff,
        "deputy": MembershipFactory(
            role=Role.MASLIKHAT_DEPUTY, unit=territory["district"]
        ).user,
    }
    if who in users:
        client.force_login(users[who])
    url = reverse("accounts:register", args=[territory["rural_district"].kato_code])

    get = client.get(url)
    post = client.post(url, {"file": csv_file(good_csv(territory)), "whole": "on"})

    expected = 302 if who == "anonymous" else 403
    assert (get.status_code, post.status_code) == (expected, expected)
    assert not RegisterEntry.objects.exists()


def test_only_the_akim_chooses_the_channels(client, territory, staff):
    url = reverse(
        "accounts:verification_channels", args=[territory["rural_district"].kato_code]
    )
    akim = MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user
    client.force_login(staff)

    refused = client.post(url, {"by_register": "on"})
    page = client.get(
        reverse("accounts:register", args=[territory["rural_district"].kato_code])
    )
    client.force_login(akim)
    saved = client.post(url, {"by_register": "on"})

    assert refused.status_code == 403
    assert 'data-testid="channels"' in page.content.decode()
    assert saved.status_code == 302
    channels = UnitVerification.objects.get(unit=territory["rural_district"])
    assert (channels.by_register, channels.changed_by) == (True, akim)
