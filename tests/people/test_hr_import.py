"""Accounts from the HR export: checks, all-or-nothing import, idempotence, who may import."""

import csv
import datetime
import io
import tracemalloc

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from people.hr_import import CHINESE_HEADERS, COLUMNS, RowOutcome, import_users, read_rows
from people.models import AuditEntry, OrgUnit, Role, User
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from tests.factories.files import xlsx_bomb, xlsx_declaring

pytestmark = pytest.mark.django_db

IMPORT_URL = "/people/admin/import/"


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def production(unit_a):
    return OrgUnitFactory(parent=unit_a, code="UA-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT)


@pytest.fixture
def unit_b_office(unit_b):
    return OrgUnitFactory(
        parent=unit_b, code="UB-BGS", name="乙办公室", kind=OrgUnit.Kind.DEPARTMENT
    )


@pytest.fixture
def system_admin(staff):
    admin = UserFactory(username="root", department=staff.department)
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    return admin


@pytest.fixture
def unit_a_admin(staff, unit_a):
    admin = UserFactory(username="ua-admin", department=staff.department)
    RoleAssignmentFactory(user=admin, role=Role.UNIT_ADMIN, unit=unit_a)
    return admin


def row(employee_no, name="李四", unit="UA", department="UA-SCB", **fields):
    return {
        "employee_no": employee_no,
        "name": name,
        "gender": fields.get("gender", "男"),
        "unit_code": unit,
        "department_code": department,
        "position": fields.get("position", "技术员"),
        "mobile": fields.get("mobile", "13900000000"),
        "email": fields.get("email", f"{employee_no.lower()}@example.com"),
        "entry_date": fields.get("entry_date", "2023-03-01"),
        "status": fields.get("status", "在职"),
    }


def csv_bytes(rows, *, headers=None, encoding="utf-8-sig"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers or [CHINESE_HEADERS[column] for column in COLUMNS])
    for values in rows:
        writer.writerow([values[column] for column in COLUMNS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([CHINESE_HEADERS[column] for column in COLUMNS])
    for values in rows:
        sheet.append([values[column] for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content, *, file_name="hr.csv", actor=None, dry_run=False):
    return import_users(content=content, file_name=file_name, actor=actor, dry_run=dry_run)


def error_cells(result):
    return [(error.row, error.column) for error in result.errors]


# A good file ----------------------------------------------------------------------------------


def test_a_good_csv_creates_accounts_with_the_employee_number_as_login(production):
    content = csv_bytes([row("E100", name="王小明"), row("E101", gender="女", status="离职")])

    result = run(content)

    assert result.ok and result.applied
    assert result.counts["created"] == 2
    created = User.objects.get(employee_no="E100")
    assert created.username == "E100"
    assert created.name == "王小明" and created.name_initials == "wxm"
    assert created.department == production
    assert created.gender == User.Gender.MALE
    assert created.entry_date == datetime.date(2023, 3, 1)
    assert created.email == "e100@example.com" and created.is_active
    assert not created.has_usable_password()
    assert User.objects.get(employee_no="E101").is_active is False
    entry = AuditEntry.objects.get(action=AuditEntry.Action.USERS_IMPORTED)
    assert entry.details["created"] == 2 and entry.details["file"] == "hr.csv"
    assert entry.unit == production.unit


def test_a_good_xlsx_with_number_and_date_cells_is_imported(production):
    values = row("E200", entry_date=datetime.datetime(2022, 5, 6))
    values["employee_no"] = 10086  # Excel keeps a typed number as a number
    values["mobile"] = 13912345678.0

    result = run(xlsx_bytes([values]), file_name="hr.xlsx")

    assert result.ok
    created = User.objects.get(employee_no="10086")
    assert created.entry_date == datetime.date(2022, 5, 6)
    assert created.mobile == "13912345678"


def test_english_headers_and_slash_dates_are_accepted(production):
    content = csv_bytes([row("E300", entry_date="2021/12/31", gender="female")], headers=COLUMNS)

    assert run(content).ok
    imported = User.objects.get(employee_no="E300")
    assert imported.entry_date == datetime.date(2021, 12, 31)
    assert imported.gender == User.Gender.FEMALE


def test_a_gb18030_csv_from_chinese_excel_is_read(production):
    content = csv_bytes([row("E400", name="欧阳娜娜")], encoding="gb18030")

    assert run(content).ok
    assert User.objects.get(employee_no="E400").name == "欧阳娜娜"


# Existing accounts ---------------------------------------------------------------------------


def test_existing_accounts_are_updated_disabled_and_enabled_others_left_alone(staff, production):
    moved = UserFactory(employee_no="E500", name="旧名", department=staff.department)
    leaving = UserFactory(employee_no="E501", department=production, position="技术员")
    returning = UserFactory(employee_no="E502", department=production, is_active=False)
    absent = UserFactory(employee_no="E503", department=production)
    content = csv_bytes(
        [
            row("E500", name="新名", email=moved.email, mobile=""),
            row("E501", name=leaving.name, status="离职"),
            row("E502", name=returning.name, status="active"),
        ]
    )
    moved.mobile = "010-1234"
    moved.save()

    result = run(content)

    assert {outcome.employee_no: outcome.action for outcome in result.outcomes} == {
        "E500": RowOutcome.UPDATED,
        "E501": RowOutcome.DISABLED,
        "E502": RowOutcome.ENABLED,
    }
    moved.refresh_from_db()
    assert moved.name == "新名" and moved.name_initials == "xm"
    assert moved.department == production and moved.username != "E500"
    assert moved.mobile == "010-1234", "an empty cell leaves the account's value alone"
    leaving.refresh_from_db()
    returning.refresh_from_db()
    absent.refresh_from_db()
    assert not leaving.is_active and returning.is_active and absent.is_active


def test_reimporting_the_same_file_writes_nothing(production):
    content = csv_bytes([row(f"E6{n:02d}") for n in range(20)])
    run(content)
    audit_count = AuditEntry.objects.count()

    with CaptureQueriesContext(connection) as queries:
        result = run(content)

    assert result.counts["unchanged"] == 20 and result.changed_count == 0
    assert AuditEntry.objects.count() == audit_count
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []


# Row errors -----------------------------------------------------------------------------------


def test_a_duplicate_employee_number_in_the_file_is_an_error(production):
    result = run(csv_bytes([row("E700"), row("E701"), row("E700")]))

    assert error_cells(result) == [(4, "employee_no")]
    with override("en"):
        assert "第 2 行" in result.errors[0].message


def test_an_unknown_unit_is_an_error_naming_the_code(production):
    result = run(csv_bytes([row("E710", unit="NOPE")]))

    assert error_cells(result) == [(2, "unit_code")]
    assert "NOPE" in result.errors[0].message


def test_a_department_of_another_unit_is_an_error(production, unit_b_office):
    result = run(csv_bytes([row("E720", unit="UA", department="UB-BGS")]))

    assert error_cells(result) == [(2, "department_code")]


def test_an_unknown_department_is_an_error(production):
    assert error_cells(run(csv_bytes([row("E725", department="UA-XXX")]))) == [
        (2, "department_code")
    ]


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"entry_date": "2023-13-45"}, "entry_date"),
        ({"entry_date": "next week"}, "entry_date"),
        ({"gender": "x"}, "gender"),
        ({"status": "休假"}, "status"),
    ],
)
def test_bad_cells_are_errors(production, fields, column):
    assert error_cells(run(csv_bytes([row("E730", **fields)]))) == [(2, column)]


def test_missing_required_cells_are_errors(production):
    result = run(csv_bytes([row("", name="", unit="", department="", email="")]))

    assert set(error_cells(result)) == {
        (2, "employee_no"),
        (2, "name"),
        (2, "unit_code"),
        (2, "department_code"),
    }


def test_a_file_with_any_error_imports_nothing(production):
    content = csv_bytes([row("E740"), row("E741", email="bad"), row("E742")])

    result = run(content)

    assert not result.ok and not result.applied
    assert not User.objects.filter(employee_no__in=["E740", "E742"]).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.USERS_IMPORTED).exists()


def test_a_dry_run_reports_and_changes_nothing(production):
    existing = UserFactory(employee_no="E750", department=production)
    content = csv_bytes([row("E750", name="改名"), row("E751")])

    result = run(content, dry_run=True)

    assert result.ok and not result.applied
    assert result.counts["created"] == 1 and result.counts["updated"] == 1
    assert not User.objects.filter(employee_no="E751").exists()
    existing.refresh_from_db()
    assert existing.name != "改名"
    assert not AuditEntry.objects.exists()


def test_a_login_already_taken_by_another_account_is_an_error(production):
    UserFactory(username="E760", employee_no="OTHER")

    assert error_cells(run(csv_bytes([row("E760")]))) == [(2, "employee_no")]


# Unreadable files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "file_name"),
    [
        (b"", "hr.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "hr.csv"),
        (b"employee_no,name\nE1,Ann\n", "hr.xlsx"),
        (b"PK\x03\x04not really a zip", "hr.xlsx"),
        (b"employee_no,name\nE1,Ann\n", "hr.txt"),
        (b"employee_no,name\nE1,Ann\n", "hr.csv"),
    ],
    ids=["empty", "png-as-csv", "csv-as-xlsx", "broken-zip", "other-extension", "wrong-headers"],
)
def test_unreadable_files_are_refused_with_a_message(production, content, file_name):
    with pytest.raises(ValidationError) as refused:
        run(content, file_name=file_name)
    assert refused.value.messages[0]
    assert not User.objects.filter(department=production).exists()


def test_a_header_only_file_is_refused(production):
    with pytest.raises(ValidationError):
        run(csv_bytes([]))


def test_an_oversized_file_is_refused(production, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused, override("en"):
        run(csv_bytes([row("E800"), row("E801")]))
    assert "may be at most" in refused.value.messages[0]


# Who may import -------------------------------------------------------------------------------


def test_someone_who_administers_nothing_may_not_import(staff, production):
    with pytest.raises(PermissionDenied):
        run(csv_bytes([row("E900")]), actor=staff)


def test_unit_admin_cannot_import_rows_of_another_unit(
    client, portal, unit_a_admin, production, unit_b_office
):
    client.force_login(unit_a_admin)
    upload = SimpleUploadedFile(
        "hr.csv", csv_bytes([row("E910"), row("E911", unit="UB", department="UB-BGS")])
    )

    response = client.post(IMPORT_URL, {"file": upload, "action": "import"})

    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, "unit_code")]
    assert not User.objects.filter(employee_no__in=["E910", "E911"]).exists()


def test_unit_admin_cannot_take_over_an_account_of_another_unit(
    unit_a_admin, production, unit_b_office
):
    UserFactory(employee_no="E915", department=unit_b_office)

    result = run(csv_bytes([row("E915")]), actor=unit_a_admin)

    assert error_cells(result) == [(2, "employee_no")]
    assert User.objects.get(employee_no="E915").department == unit_b_office


def test_unit_admin_cannot_change_a_system_administrator_in_their_unit(
    unit_a_admin, system_admin, production
):
    content = csv_bytes([row(system_admin.employee_no, name="改名", department="UA-BGS")])

    result = run(content, actor=unit_a_admin)

    assert error_cells(result) == [(2, "employee_no")]
    system_admin.refresh_from_db()
    assert system_admin.name != "改名"


def test_unit_admin_imports_rows_of_their_own_unit(client, portal, unit_a_admin, production):
    client.force_login(unit_a_admin)
    upload = SimpleUploadedFile("hr.csv", csv_bytes([row("E920")]))

    response = client.post(IMPORT_URL, {"file": upload, "action": "import"})

    assert response.context["result"].applied
    assert User.objects.get(employee_no="E920").department == production
    assert AuditEntry.objects.get(action=AuditEntry.Action.USERS_IMPORTED).actor == unit_a_admin


def test_an_administrator_cannot_disable_their_own_account(unit_a_admin, production):
    content = csv_bytes([row(unit_a_admin.employee_no, department="UA-BGS", status="离职")])

    assert error_cells(run(content, actor=unit_a_admin)) == [(2, "status")]


def test_ordinary_users_get_403_on_both_urls(staff_client, portal):
    assert staff_client.get(IMPORT_URL).status_code == 403
    upload = SimpleUploadedFile("hr.csv", csv_bytes([row("E930")]))
    assert staff_client.post(IMPORT_URL, {"file": upload, "action": "import"}).status_code == 403
    assert staff_client.get(f"{IMPORT_URL}template.csv").status_code == 403
    assert not User.objects.filter(employee_no="E930").exists()


# The screen -----------------------------------------------------------------------------------


def test_the_check_button_is_a_dry_run_showing_what_would_happen(
    client, portal, system_admin, production
):
    client.force_login(system_admin)
    upload = SimpleUploadedFile("hr.csv", csv_bytes([row("E940"), row("E941")]))

    response = client.post(IMPORT_URL, {"file": upload, "action": "check"})

    html = response.content.decode()
    assert response.context["result"].counts["created"] == 2
    assert "E940" in html and "E941" in html
    assert not User.objects.filter(employee_no="E940").exists()


def test_the_screen_shows_the_form_and_row_errors(client, portal, system_admin, production):
    client.force_login(system_admin)
    assert client.get(IMPORT_URL).status_code == 200
    upload = SimpleUploadedFile("hr.csv", csv_bytes([row("E950", unit="NOPE")]))

    html = client.post(IMPORT_URL, {"file": upload, "action": "import"}).content.decode()

    assert "NOPE" in html
    assert not User.objects.filter(employee_no="E950").exists()


def test_an_unreadable_upload_is_reported_on_the_file_field(client, portal, system_admin):
    client.force_login(system_admin)
    upload = SimpleUploadedFile("hr.xlsx", b"plain text")

    response = client.post(IMPORT_URL, {"file": upload, "action": "import"})

    assert response.context["form"].errors["file"]
    assert response.context["result"] is None


def test_an_oversized_upload_is_refused_before_reading(client, portal, system_admin, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 10
    client.force_login(system_admin)
    upload = SimpleUploadedFile("hr.csv", csv_bytes([row("E960")]))

    response = client.post(IMPORT_URL, {"file": upload, "action": "import"})

    assert response.context["form"].errors["file"]
    assert not User.objects.filter(employee_no="E960").exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_downloads_with_the_chinese_headers(client, system_admin, file_format):
    client.force_login(system_admin)

    response = client.get(f"{IMPORT_URL}template.{file_format}")

    assert response.status_code == 200
    assert f"hr-import-template.{file_format}" in response["Content-Disposition"]
    content = response.content
    if file_format == "csv":
        assert content.startswith(b"\xef\xbb\xbf")
        header = content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header = [cell.value for cell in sheet[1]]
    assert header == [CHINESE_HEADERS[column] for column in COLUMNS]
    assert len(read_rows(f"template.{file_format}", content)) == 1


def test_an_unknown_template_format_is_404(client, system_admin):
    client.force_login(system_admin)
    assert client.get(f"{IMPORT_URL}template.pdf").status_code == 404


# The management command -----------------------------------------------------------------------


def test_the_command_imports_with_a_progress_bar(tmp_path, production):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes([row(f"E1{n:03d}") for n in range(150)]))
    output = io.StringIO()

    call_command("import_hr", str(path), stdout=output)

    assert User.objects.filter(department=production).count() == 150
    assert "100/150" in output.getvalue() and "150/150" in output.getvalue()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.USERS_IMPORTED)
    assert entry.actor is None and entry.details["created"] == 150


def test_the_command_dry_run_changes_nothing(tmp_path, production):
    path = tmp_path / "hr.xlsx"
    path.write_bytes(xlsx_bytes([row("E2000")]))
    output = io.StringIO()

    call_command("import_hr", str(path), "--dry-run", stdout=output)

    assert not User.objects.filter(employee_no="E2000").exists()
    assert "新建 1 个" in output.getvalue()


def test_the_command_fails_on_row_errors_and_imports_nothing(tmp_path, production):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes([row("E3000"), row("E3001", unit="NOPE")]))
    errors = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_hr", str(path), stdout=io.StringIO(), stderr=errors)

    assert "第 3 行" in errors.getvalue()
    assert not User.objects.filter(employee_no="E3000").exists()


def test_the_command_fails_on_an_unreadable_file(tmp_path, db):
    path = tmp_path / "hr.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError):
        call_command("import_hr", str(path), stdout=io.StringIO())


# Hostile spreadsheets ---------------------------------------------------------------------------


def test_a_declared_huge_sheet_dimension_is_read_by_its_real_rows(production):
    header = [CHINESE_HEADERS[column] for column in COLUMNS]
    rows = [
        [values[column] for column in COLUMNS]
        for values in map(row, [f"E{n}" for n in range(3000)])
    ]
    content = xlsx_declaring([header, *rows])

    tracemalloc.start()
    try:
        read = read_rows("hr.xlsx", content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(read) == 3000
    assert read[0] == (2, row("E0"))
    # Trusting the declared A1:XFD1048576 pads each row to 16,384 cells: about 400 MB.
    assert peak < 60 * 2**20


def test_a_declared_huge_dimension_still_imports(production):
    content = xlsx_declaring(
        [
            [CHINESE_HEADERS[column] for column in COLUMNS],
            [row("E700")[column] for column in COLUMNS],
        ]
    )
    assert run(content, file_name="hr.xlsx").ok
    assert User.objects.filter(employee_no="E700").exists()


def test_an_xlsx_bomb_is_refused_before_reading(production):
    with pytest.raises(ValidationError) as refused:
        run(xlsx_bomb(), file_name="hr.xlsx")
    assert refused.value.code == "bomb"


def test_too_many_rows_are_refused(production, monkeypatch):
    monkeypatch.setattr("people.hr_import.reading.MAX_ROWS", 2)
    with pytest.raises(ValidationError) as refused:
        run(csv_bytes([row("E1"), row("E2"), row("E3")]))
    assert refused.value.code == "too_large"
