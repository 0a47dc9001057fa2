"""The staff directory (通讯录): who is listed, how to find them, who sees a mobile number."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import page_cache
from people.models import ConcurrentPost, OrgUnit, Role, User
from people.permissions import can_see_mobile
from people.selectors.directory import directory_people, directory_tree, flatten_tree
from people.services import name_initials
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

COLLEAGUE_MOBILE = "13800000001"
OUTSIDER_MOBILE = "13900000002"
MAX_DIRECTORY_QUERIES = 12


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def workshop(staff):
    """A department nested under the staff member's own department."""
    return OrgUnitFactory(
        parent=staff.department, code="UA-BGS-1", name="文印室", kind=OrgUnit.Kind.DEPARTMENT
    )


@pytest.fixture
def colleague(workshop):
    return UserFactory(
        name="李四", department=workshop, employee_no="A0042", mobile=COLLEAGUE_MOBILE
    )


@pytest.fixture
def outsider_department(unit_b):
    return OrgUnitFactory(parent=unit_b, code="UB-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT)


@pytest.fixture
def outsider(outsider_department):
    return UserFactory(
        name="王五", department=outsider_department, position="车间主任", mobile=OUTSIDER_MOBILE
    )


def names(response) -> list[str]:
    """The listed names, read from the page (it is served from the cache when unchanged)."""
    rows = response.content.decode().split('class="xt-directory__name">')[1:]
    return [row.split("<", 1)[0].strip() for row in rows]


# Who is listed and in which order


def test_everyone_active_is_listed_in_tree_order_leaders_first(
    staff_client, staff, colleague, outsider
):
    leader = UserFactory(name="赵总", department=staff.department, is_leader=True)
    response = staff_client.get("/people/directory/")
    assert response.status_code == 200
    assert names(response) == [leader.name, staff.name, colleague.name, outsider.name]


def test_disabled_people_never_appear(staff_client, colleague):
    UserFactory(name="钱六", department=colleague.department, is_active=False)
    assert "钱六" not in names(staff_client.get("/people/directory/"))
    assert not names(staff_client.get("/people/directory/", {"q": "钱六"}))


def test_the_list_shows_unit_department_position_phone_and_email(staff_client, outsider):
    outsider.office_phone = "0371-6000 1234"
    outsider.save()
    html = staff_client.get("/people/directory/").content.decode()
    for shown in ["王五", "乙单位", "生产部", "车间主任", "0371-6000 1234", outsider.email]:
        assert shown in html


def test_concurrent_posts_are_shown(staff_client, colleague, outsider_department):
    ConcurrentPost.objects.create(user=colleague, department=outsider_department, position="顾问")
    html = staff_client.get("/people/directory/").content.decode()
    assert "顾问" in html


# Finding people


@pytest.mark.parametrize("query", ["张三", "张", "zs", "ZS", "z", "科员"])
def test_search_by_name_pinyin_initials_or_position(staff_client, staff, colleague, query):
    assert names(staff_client.get("/people/directory/", {"q": query})) == ["张三"]


def test_search_by_employee_number(staff_client, staff, colleague):
    assert names(staff_client.get("/people/directory/", {"q": "a0042"})) == ["李四"]


def test_a_search_finding_nobody_says_so(staff_client, staff):
    response = staff_client.get("/people/directory/", {"q": "不存在"})
    assert response.status_code == 200 and not names(response)


def test_unit_filter_covers_the_whole_unit_subtree(
    staff_client, staff, colleague, outsider, unit_a
):
    assert names(staff_client.get("/people/directory/", {"unit": unit_a.pk})) == ["张三", "李四"]


def test_department_filter_covers_its_subdepartments(staff_client, staff, colleague, workshop):
    department = staff.department
    assert names(staff_client.get("/people/directory/", {"department": department.pk})) == [
        "张三",
        "李四",
    ]
    assert names(staff_client.get("/people/directory/", {"department": workshop.pk})) == ["李四"]


def test_search_stays_inside_the_chosen_unit(staff_client, staff, outsider, unit_a, unit_b):
    assert names(staff_client.get("/people/directory/", {"unit": unit_a.pk, "q": "ww"})) == []
    assert names(staff_client.get("/people/directory/", {"unit": unit_b.pk, "q": "ww"})) == ["王五"]


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "abc"},
        {"unit": "999999"},
        {"unit": "99999999999999999999999"},
        {"department": "-1"},
        {"page": "abc"},
        {"page": "999"},
        {"q": "x" * 500},
    ],
)
def test_bad_query_strings_give_a_page_not_an_error(staff_client, staff, params):
    response = staff_client.get("/people/directory/", params)
    assert response.status_code == 200


def test_an_invalid_filter_is_dropped(staff_client, staff, outsider, unit_a):
    assert names(staff_client.get("/people/directory/", {"unit": "999999"})) == ["张三", "王五"]
    # A department id given as a unit does not filter either.
    response = staff_client.get("/people/directory/", {"unit": staff.department.pk})
    assert names(response) == ["张三", "王五"]


def test_the_tree_lists_active_units_and_departments(staff_client, staff, unit_b, workshop):
    closed = OrgUnitFactory(parent=unit_b, code="UB-OLD", name="撤销部门", kind="department")
    closed.is_active = False
    closed.save()
    OrgUnitFactory(parent=closed, code="UB-OLD-1", name="撤销科室", kind="department")
    flat = flatten_tree(directory_tree())
    assert [(node.unit.code, node.depth) for node in flat] == [
        ("HQ", 0),
        ("UA", 1),
        ("UA-BGS", 2),
        ("UA-BGS-1", 3),
        ("UB", 1),
    ]
    html = staff_client.get("/people/directory/").content.decode()
    assert f'href="?unit={unit_b.pk}"' in html
    assert f'href="?department={workshop.pk}"' in html
    assert "撤销部门" not in html


def test_the_directory_needs_a_login(client):
    response = client.get("/people/directory/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_page_speaks_english_when_asked(staff_client, staff):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = staff_client.get("/people/directory/").content.decode()
    assert "Staff directory" in html and "1 person" in html


# Who sees a mobile number


def test_colleagues_of_the_same_unit_see_the_mobile(staff_client, colleague):
    html = staff_client.get("/people/directory/").content.decode()
    assert COLLEAGUE_MOBILE in html


def test_people_of_another_unit_do_not_see_the_mobile(staff_client, staff, outsider):
    staff.mobile = "13700000003"
    staff.save()
    html = staff_client.get("/people/directory/").content.decode()
    assert OUTSIDER_MOBILE not in html
    assert not can_see_mobile(staff, outsider)
    assert not can_see_mobile(outsider, staff)


def test_searching_by_mobile_does_not_reveal_a_hidden_number(staff_client, outsider, colleague):
    assert names(staff_client.get("/people/directory/", {"q": OUTSIDER_MOBILE})) == []
    assert names(staff_client.get("/people/directory/", {"q": COLLEAGUE_MOBILE})) == ["李四"]


def test_without_a_viewer_the_search_never_matches_mobiles(colleague):
    assert not directory_people(query=COLLEAGUE_MOBILE).exists()
    assert list(directory_people(query=COLLEAGUE_MOBILE, viewer=colleague)) == [colleague]


def test_leaders_see_every_mobile(client, outsider, colleague):
    leader = UserFactory(name="赵总", department=outsider.department, is_leader=True)
    client.force_login(leader)
    html = client.get("/people/directory/").content.decode()
    assert COLLEAGUE_MOBILE in html and OUTSIDER_MOBILE in html
    assert names(client.get("/people/directory/", {"q": COLLEAGUE_MOBILE})) == ["李四"]


def test_administrators_see_every_mobile(client, unit_b, outsider, colleague):
    unit_admin = UserFactory(department=outsider.department)
    RoleAssignmentFactory(user=unit_admin, role=Role.UNIT_ADMIN, unit=unit_b)
    system_admin = UserFactory(department=outsider.department)
    RoleAssignmentFactory(user=system_admin, role=Role.SYSTEM_ADMIN, unit=None)
    for administrator in (unit_admin, system_admin):
        client.force_login(administrator)
        assert COLLEAGUE_MOBILE in client.get("/people/directory/").content.decode()


def test_other_roles_do_not_open_the_mobiles_of_other_units(client, unit_b, outsider, colleague):
    clerk = UserFactory(department=outsider.department)
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit_b)
    client.force_login(clerk)
    assert COLLEAGUE_MOBILE not in client.get("/people/directory/").content.decode()


def test_someone_without_a_department_sees_only_their_own_mobile(client, colleague):
    loner = UserFactory(name="孤独", mobile="13600000004")
    client.force_login(loner)
    html = client.get("/people/directory/").content.decode()
    assert "13600000004" in html and COLLEAGUE_MOBILE not in html


# Bounded queries


def _bulk_people(department: OrgUnit, count: int, start: int = 0) -> None:
    password = make_password("unused-Password-1")
    people = []
    for number in range(start, start + count):
        name = f"员工{number:05d}"
        people.append(
            User(
                username=f"bulk{number:05d}",
                password=password,
                name=name,
                name_initials=name_initials(name),
                employee_no=f"B{number:05d}",
                department=department,
                mobile=f"135{number:08d}",
            )
        )
    created = User.objects.bulk_create(people, batch_size=500)
    ConcurrentPost.objects.bulk_create(
        ConcurrentPost(user=person, department=department.get_parent(), position="兼职")
        for person in created[::10]
    )


def _queries_for(client, params) -> int:
    client.get("/people/directory/", params)  # the per-user caches are warm in everyday use
    with page_cache.bypassed(), CaptureQueriesContext(connection) as context:
        response = client.get("/people/directory/", params)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("filtered", ["everyone", "search", "unit", "department"])
def test_query_count_does_not_grow_with_the_directory(
    staff_client, staff, unit_a, django_assert_max_num_queries, filtered
):
    params = {
        "everyone": {},
        "search": {"q": "yg"},
        "unit": {"unit": unit_a.pk},
        "department": {"department": staff.department.pk},
    }[filtered]
    _bulk_people(staff.department, 50)
    staff_client.get("/people/directory/")  # the layout caches the site on the first request
    with_50 = _queries_for(staff_client, params)
    workshop = OrgUnitFactory(
        parent=staff.department, code="UA-BIG", name="大车间", kind=OrgUnit.Kind.DEPARTMENT
    )
    _bulk_people(workshop, 4_950, start=50)
    with_5000 = _queries_for(staff_client, params)
    assert with_50 == with_5000
    # The bound includes the shared layout's own queries (session, user, pending tasks).
    with django_assert_max_num_queries(MAX_DIRECTORY_QUERIES):
        response = staff_client.get("/people/directory/", {**params, "page": "last"})
    count = response.content.decode().split('data-testid="directory-count">')[1].split("<")[0]
    assert int(re.search(r"\d+", count).group()) >= 5_000


# The rendered directory is cached: never stale, never another viewer's mobiles


def test_a_changed_colleague_shows_at_once(staff_client, colleague):
    assert "质检员" not in staff_client.get("/people/directory/").content.decode()

    colleague.position = "质检员"
    colleague.save()

    assert "质检员" in staff_client.get("/people/directory/").content.decode()


def test_a_new_post_and_a_renamed_department_show_at_once(
    staff_client, colleague, outsider_department
):
    assert "顾问" not in staff_client.get("/people/directory/").content.decode()
    ConcurrentPost.objects.create(user=colleague, department=outsider_department, position="顾问")
    assert "顾问" in staff_client.get("/people/directory/").content.decode()

    outsider_department.name = "装配部"
    outsider_department.save()

    assert "装配部" in staff_client.get("/people/directory/").content.decode()


def test_a_sign_in_keeps_the_cached_directory(staff_client, colleague):
    cached = _queries_for(staff_client, {})
    colleague.save(update_fields=["last_login"])
    with page_cache.bypassed(), CaptureQueriesContext(connection) as after_sign_in:
        staff_client.get("/people/directory/")
    assert len(after_sign_in) == cached


def test_the_cached_directory_never_shows_a_mobile_to_another_unit(
    client, staff_client, colleague, outsider
):
    assert COLLEAGUE_MOBILE in staff_client.get("/people/directory/").content.decode()

    client.force_login(outsider)
    html = client.get("/people/directory/").content.decode()

    assert "李四" in html and COLLEAGUE_MOBILE not in html and OUTSIDER_MOBILE in html


def test_a_new_leader_sees_every_mobile_at_once(client, outsider, colleague):
    client.force_login(outsider)
    assert COLLEAGUE_MOBILE not in client.get("/people/directory/").content.decode()

    outsider.is_leader = True
    outsider.save()

    assert COLLEAGUE_MOBILE in client.get("/people/directory/").content.decode()
