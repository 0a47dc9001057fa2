"""Read receipts of notices, the issuer's statistics and their export."""

import threading
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission

from home.models import NoticeIndexPage, NoticePage, NoticeReadReceipt
from home.services import notice_mark_read
from people.models import ConcurrentPost, OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory


def publish_notice(
    index: NoticeIndexPage, *, title: str, owner, audience_units=(), body="<p>正文</p>", **fields
) -> NoticePage:
    """A live notice as an editor publishes it; `audience_units` empty means everyone."""
    notice = NoticePage(
        title=title,
        body=body,
        owner=owner,
        issuing_department=owner.department,
        audience=NoticePage.Audience.CHOSEN if audience_units else NoticePage.Audience.EVERYONE,
        **fields,
    )
    # A ParentalManyToManyField lives on the instance until saved; the revision carries it.
    notice.audience_units.set(audience_units)
    index.add_child(instance=notice)
    notice.save_revision(user=owner).publish()
    notice.refresh_from_db()
    return notice


@pytest.fixture
def unit_a_production(unit_a):
    return OrgUnitFactory(
        parent=unit_a, code="UA-SCB", name="甲生产部", kind=OrgUnit.Kind.DEPARTMENT
    )


@pytest.fixture
def unit_b_production(headquarters):
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)
    return OrgUnitFactory(
        parent=unit_b, code="UB-SCB", name="乙生产部", kind=OrgUnit.Kind.DEPARTMENT
    )


@pytest.fixture
def notice(notice_index, issuer, unit_a, unit_b_production):
    """A notice to unit A and unit B's production department."""
    return publish_notice(
        notice_index,
        title="关于安全检查的通知",
        owner=issuer,
        audience_units=[unit_a, unit_b_production],
    )


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Receipts


def test_opening_a_notice_twice_records_one_receipt_with_the_first_time(
    staff_client, staff, notice
):
    assert staff_client.get(notice.url).status_code == 200
    first = NoticeReadReceipt.objects.get(notice=notice, user=staff)

    assert staff_client.get(notice.url).status_code == 200

    receipts = NoticeReadReceipt.objects.filter(notice=notice, user=staff)
    assert receipts.count() == 1
    assert receipts.get().read_at == first.read_at


def test_a_second_mark_read_keeps_the_first_receipt(staff, notice):
    notice_mark_read(notice=notice, user=staff)
    first = NoticeReadReceipt.objects.get()

    notice_mark_read(notice=notice, user=staff)

    assert list(NoticeReadReceipt.objects.values_list("pk", "read_at")) == [
        (first.pk, first.read_at)
    ]


def test_the_database_refuses_a_second_receipt_for_the_same_user_and_notice(staff, notice):
    NoticeReadReceipt.objects.create(notice=notice, user=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeReadReceipt.objects.create(notice=notice, user=staff)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two connections writing at once (PostgreSQL); the suite's in-memory SQLite "
    "answers 'table is locked' at once instead of waiting; SQLite under a crowd, on a file, is "
    "tests/workflow/test_sqlite_concurrency.py",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_leave_one_receipt(notice, staff):
    """Both requests insert at once, each on its own connection; neither fails and one row stays."""
    start = threading.Barrier(2)
    errors = []

    def open_notice():
        try:
            start.wait()
            with transaction.atomic():
                notice_mark_read(notice=notice, user=staff)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_notice) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert NoticeReadReceipt.objects.filter(notice=notice, user=staff).count() == 1


# Statistics


@pytest.fixture
def audience(staff, unit_a_production, unit_b_production):
    """Unit A: staff (office) and two in production; unit B's production: two; one outsider."""
    a_worker = UserFactory(name="甲工人", department=unit_a_production, position="操作工")
    a_planner = UserFactory(name="甲计划员", department=unit_a_production, position="计划员")
    b_worker = UserFactory(name="乙工人", department=unit_b_production, position="操作工")
    b_fitter = UserFactory(name="乙钳工", department=unit_b_production, position="钳工")
    UserFactory(name="已离职", department=unit_a_production, is_active=False)
    return {
        "staff": staff,
        "a_worker": a_worker,
        "a_planner": a_planner,
        "b_worker": b_worker,
        "b_fitter": b_fitter,
    }


def test_counts_per_unit_and_the_unread_list(client, issuer, notice, audience, unit_a):
    for reader in (audience["staff"], audience["a_worker"], audience["b_worker"]):
        notice_mark_read(notice=notice, user=reader)
    client.force_login(issuer)

    response = in_english(client).get(reverse("home:notice_readers", args=[notice.pk]))

    assert response.status_code == 200
    reading = response.context["reading"]
    assert (reading.audience, reading.read, reading.unread, reading.percent) == (5, 3, 2, 60)
    assert [(u.unit_name, u.audience, u.read, u.unread) for u in reading.units] == [
        ("甲单位", 3, 2, 1),
        ("乙单位", 2, 1, 1),
    ]
    assert [user.name for user in response.context["unread"]] == ["甲计划员", "乙钳工"]
    assert "已离职" not in response.content.decode()

    filtered = client.get(reverse("home:notice_readers", args=[notice.pk]), {"unit": unit_a.pk})
    assert [user.name for user in filtered.context["unread"]] == ["甲计划员"]


def test_a_concurrent_post_puts_a_user_in_the_audience_once(
    client, issuer, notice, audience, unit_a, headquarters
):
    outsider_unit = OrgUnitFactory(parent=headquarters, code="UC", name="丙单位")
    seconded = UserFactory(name="借调人员", department=outsider_unit)
    ConcurrentPost.objects.create(user=seconded, department=unit_a, position="兼职")
    client.force_login(issuer)

    response = client.get(reverse("home:notice_readers", args=[notice.pk]))

    assert response.context["reading"].audience == 6
    assert [user.name for user in response.context["unread"]].count("借调人员") == 1


def test_a_notice_to_everyone_counts_every_active_user(client, issuer, notice_index, audience):
    everyone = publish_notice(notice_index, title="全员通知", owner=issuer)
    notice_mark_read(notice=everyone, user=issuer)
    client.force_login(issuer)

    response = client.get(reverse("home:notice_readers", args=[everyone.pk]))

    reading = response.context["reading"]
    assert (reading.audience, reading.read) == (6, 1)


def test_the_unread_list_is_paged_by_fifty(client, issuer, notice, unit_b_production):
    UserFactory.create_batch(55, department=unit_b_production)
    client.force_login(issuer)
    url = reverse("home:notice_readers", args=[notice.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["unread"]) == 50
    assert len(second.context["unread"]) == 55 - 50


def test_an_unknown_unit_filter_is_reported_and_lists_everyone(client, issuer, notice, audience):
    client.force_login(issuer)

    response = in_english(client).get(
        reverse("home:notice_readers", args=[notice.pk]), {"unit": "999999"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert len(response.context["unread"]) == 5


def test_the_statistics_page_runs_the_same_queries_for_ten_times_the_audience(
    client, issuer, notice, unit_a_production, unit_b_production, django_assert_max_num_queries
):
    def grow_audience(count):
        users = UserFactory.create_batch(count, department=unit_a_production)
        users += UserFactory.create_batch(count, department=unit_b_production)
        for user in users[::2]:
            notice_mark_read(notice=notice, user=user)

    client.force_login(issuer)
    url = reverse("home:notice_readers", args=[notice.pk])
    grow_audience(3)
    with django_assert_max_num_queries(1000) as small:
        assert client.get(url).status_code == 200

    grow_audience(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_export_lists_units_and_everyone_with_their_read_time(client, issuer, notice, audience):
    notice_mark_read(notice=notice, user=audience["a_worker"])
    client.force_login(issuer)

    response = in_english(client).get(reverse("home:notice_readers_export", args=[notice.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "Reading status-关于安全检查的通知.xlsx"

    workbook = load_workbook(BytesIO(response.content))
    summary, readers = workbook.worksheets
    assert list(summary.values) == [
        ("Unit", "In audience", "Read", "Unread", "Read rate"),
        ("甲单位", 3, 1, 2, pytest.approx(0.33)),
        ("乙单位", 2, 0, 2, 0),
        ("Total", 5, 1, 4, 0.2),
    ]
    rows = list(readers.values)
    assert rows[0] == ("Full name", "Unit", "Department", "Position", "Read at")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"张三", "甲工人", "甲计划员", "乙工人", "乙钳工"}
    assert by_name["甲工人"][1:4] == ("甲单位", "甲生产部", "操作工")
    receipt = NoticeReadReceipt.objects.get(user=audience["a_worker"])
    assert by_name["甲工人"][4].strftime("%Y-%m-%d %H:%M") == (
        timezone.localtime(receipt.read_at).strftime("%Y-%m-%d %H:%M")
    )
    assert by_name["乙钳工"][4] == "Not read"


# Who may see the statistics


def editor_of(page):
    editors = Group.objects.create(name="通知编辑")
    GroupPagePermission.objects.create(
        group=editors, page=page, permission=Permission.objects.get(codename="change_page")
    )
    editor = UserFactory(name="编辑")
    editor.groups.add(editors)
    return editor


@pytest.mark.parametrize("view", ["home:notice_readers", "home:notice_readers_export"])
def test_the_issuer_an_editor_and_a_system_admin_see_the_statistics(
    client, issuer, notice, notice_index, view
):
    admin = UserFactory(name="管理员")
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    for user in (issuer, editor_of(notice_index), admin):
        client.force_login(user)
        assert client.get(reverse(view, args=[notice.pk])).status_code == 200


@pytest.mark.parametrize("view", ["home:notice_readers", "home:notice_readers_export"])
def test_audience_members_and_other_staff_are_refused_the_statistics(
    client, staff, notice, audience, headquarters, view
):
    unit_admin = UserFactory(name="单位管理员", department=staff.department)
    RoleAssignmentFactory(user=unit_admin, role=Role.UNIT_ADMIN, unit=staff.department.unit)
    outsider = UserFactory(name="旁人", department=OrgUnitFactory(parent=headquarters))
    for user in (staff, unit_admin, outsider):
        client.force_login(user)
        assert client.get(reverse(view, args=[notice.pk])).status_code == 403


def test_statistics_of_a_missing_notice_are_not_found(client, issuer, portal):
    client.force_login(issuer)
    assert client.get(reverse("home:notice_readers", args=[999999])).status_code == 404


def test_names_typed_by_users_are_exported_as_text_never_as_formulas(
    client, issuer, notice, audience, unit_a_production
):
    hostile = {"name": "=cmd|' /C calc'!A0", "position": "@SUM(1+1)"}
    UserFactory(department=unit_a_production, **hostile)
    client.force_login(issuer)

    response = client.get(reverse("home:notice_readers_export", args=[notice.pk]))

    readers = load_workbook(BytesIO(response.content)).worksheets[1]
    cells = [cell for row in readers.iter_rows() for cell in row if cell.value in hostile.values()]
    assert len(cells) == 2
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
