"""What a searcher finds, on both backends: permissions, Chinese, ranking, facets, paging, input."""

import pytest
from django.urls import reverse

from home.models import NoticePage
from people.models import OrgUnit
from search.query import SearchQuery, Sort
from search.selectors import search_for
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.publishing import NewsPageFactory, NoticePageFactory
from tests.factories.search import aware, entry
from tests.search.conftest import put_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def staff_b(unit_b):
    department = OrgUnitFactory(
        parent=unit_b, code="UB-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT
    )
    return UserFactory(username="lisi", name="李四", department=department)


@pytest.fixture
def notice(headquarters):
    """A published notice, issued by the headquarters unless said otherwise."""

    def make(**fields):
        fields.setdefault("issuing_department", headquarters)
        return NoticePageFactory(**fields)

    return make


def find(user, text, **options):
    return search_for(user, SearchQuery.build(text, **options))


def keys(results):
    return [(hit.kind, hit.key) for hit in [*results.best_bets, *results.hits]]


class TestPermissions:
    def test_unit_b_never_sees_unit_a_restricted_notice(
        self, backend, portal, notice, staff, staff_b, unit_a, index_everything
    ):
        secret = notice(
            title="甲单位薪酬调整方案",
            body="<p>机密薪酬调整细则</p>",
            audience=NoticePage.Audience.CHOSEN,
            audience_units=[unit_a],
            issuing_department=unit_a,
        )
        notice(title="全集团薪酬政策宣讲", body="<p>薪酬制度宣讲安排</p>")
        index_everything()

        seen_by_b = find(staff_b, "薪酬")
        assert ("notice", str(secret.pk)) not in keys(seen_by_b)
        assert seen_by_b.total == 1
        assert [facet.count for facet in seen_by_b.kind_facets] == [1]
        assert "UA" not in [facet.value for facet in seen_by_b.unit_facets]
        rendered = " ".join(str(h.snippet_html) + str(h.title_html) for h in seen_by_b.hits)
        assert "机密" not in rendered and "甲单位" not in rendered

        seen_by_a = find(staff, "薪酬")
        assert ("notice", str(secret.pk)) in keys(seen_by_a)
        assert seen_by_a.total == 2

    def test_a_restricted_entry_leaks_neither_through_filters_nor_exact_numbers(
        self, backend, static_provider, staff, staff_b, unit_a
    ):
        put_entries(
            static_provider,
            entry(
                "knowledge",
                "1",
                "甲单位内部制度汇编",
                "内部资料",
                unit="UA",
                exact=("甲制〔2026〕1号",),
                access=(f"org:{unit_a.path}",),
            ),
        )
        for text in ["甲制〔2026〕1号", "内部制度", "汇编"]:
            results = find(staff_b, text, kinds=["knowledge"], units=["UA"])
            assert results.total == 0 and not results.hits and not results.unit_facets
        assert find(staff, "甲制〔2026〕1号").hits[0].key == "1"

    def test_principals_of_groups_users_and_roles_open_entries(
        self, backend, static_provider, staff, staff_b, unit_a
    ):
        from django.contrib.auth.models import Group

        from people.models import Role
        from tests.factories import RoleAssignmentFactory

        group = Group.objects.create(name="档案组")
        staff.groups.add(group)
        RoleAssignmentFactory(user=staff_b, role=Role.FILE_CLERK, unit=staff_b.department.unit)
        put_entries(
            static_provider,
            entry("knowledge", "g", "档案组专用手册", access=(f"group:{group.pk}",)),
            entry("knowledge", "u", "个人专用手册", access=(f"user:{staff_b.pk}",)),
            entry(
                "knowledge",
                "r",
                "文书专用手册",
                access=(f"role:file_clerk:{staff_b.department.unit_id}",),
            ),
        )
        assert {hit.key for hit in find(staff, "手册").hits} == {"g"}
        assert {hit.key for hit in find(staff_b, "手册").hits} == {"u", "r"}

    def test_an_inactive_account_finds_nothing(self, backend, static_provider, staff):
        put_entries(static_provider, entry("knowledge", "1", "公开手册"))
        staff.is_active = False
        assert find(staff, "手册").total == 0

    def test_a_superuser_sees_every_entry(self, backend, static_provider, unit_a):
        admin = UserFactory(is_superuser=True)
        put_entries(static_provider, entry("knowledge", "1", "保密手册", access=("user:0",)))
        assert find(admin, "手册").total == 1


class TestPeopleAndNotices:
    def test_a_mobile_number_is_not_searchable_but_the_office_phone_is(
        self, backend, staff, index_everything
    ):
        colleague = UserFactory(name="钱七", mobile="13912345678", office_phone="0379-64861234")
        index_everything()
        assert find(staff, "13912345678").total == 0
        assert [h.key for h in find(staff, "64861234").hits] == [str(colleague.pk)]
        assert "13912345678" not in str(find(staff, "钱七").hits[0].snippet_html)

    def test_an_expired_notice_stays_searchable(
        self, backend, portal, notice, staff, index_everything
    ):
        from datetime import date

        old = notice(title="去年的停电通知", expires_on=date(2025, 1, 1))
        index_everything()
        assert [h.key for h in find(staff, "停电").hits] == [str(old.pk)]


class TestNoticeAudienceEquivalence:
    """For notices the access list answers exactly as home.selectors.visible_notices."""

    def test_search_and_visible_notices_agree_for_every_user(
        self,
        backend,
        portal,
        notice,
        headquarters,
        unit_a,
        staff,
        staff_b,
        unit_b,
        index_everything,
    ):
        from home.selectors import visible_notices
        from people.models import ConcurrentPost

        hq_office = OrgUnitFactory(
            parent=headquarters, code="HQ-BGS", name="办公室", kind=OrgUnit.Kind.DEPARTMENT
        )
        hq_clerk = UserFactory(name="王五", department=hq_office)
        double = UserFactory(name="赵六", department=staff_b.department)
        ConcurrentPost.objects.create(user=double, department=staff.department)
        audiences = [
            [headquarters],
            [unit_a],
            [unit_b],
            [staff.department],
            [hq_office, unit_b],
        ]
        notice(title="公告 全体", body="<p>公告</p>")
        for number, units in enumerate(audiences):
            notice(
                title=f"公告 定向{number}",
                body="<p>公告</p>",
                audience=NoticePage.Audience.CHOSEN,
                audience_units=units,
            )
        index_everything()
        for user in [staff, staff_b, hq_clerk, double]:
            expected = {str(pk) for pk in visible_notices(user).values_list("pk", flat=True)}
            found = {hit.key for hit in find(user, "公告", kinds=["notice"], page_size=100).hits}
            assert found == expected, user.name


class TestChinese:
    def test_two_characters_inside_a_longer_word_match(self, backend, static_provider, staff):
        put_entries(
            static_provider,
            entry("knowledge", "1", "职工带薪年休假管理办法", "年休假的申请与审批"),
            entry("knowledge", "2", "差旅费报销规定", "出差住宿标准"),
        )
        assert [hit.key for hit in find(staff, "休假").hits] == ["1"]
        assert [hit.key for hit in find(staff, "住宿").hits] == ["2"]
        assert [hit.key for hit in find(staff, "年休假管理").hits] == ["1"]

    def test_an_exact_document_number_comes_first(self, backend, static_provider, staff):
        put_entries(
            static_provider,
            entry(
                "knowledge",
                "cites",
                "关于一拖〔2026〕15号文件的执行情况",
                "一拖〔2026〕15号 一拖〔2026〕15号",
            ),
            entry(
                "knowledge", "other", "一拖〔2026〕16号", "2026 15号", exact=("一拖〔2026〕16号",)
            ),
            entry(
                "knowledge", "target", "关于印发考勤制度的通知", "正文", exact=("一拖〔2026〕15号",)
            ),
        )
        results = find(staff, "一拖〔2026〕15号")
        assert results.hits[0].key == "target"
        assert find(staff, "一拖 〔2026〕15号").hits[0].key == "target"

    def test_a_persons_name_finds_them_first(self, backend, portal, staff, index_everything):
        UserFactory(name="张三丰", position="顾问")
        NewsPageFactory(title="张三同志获评先进个人", summary="张三 张三 张三")
        index_everything()
        results = find(staff, "张三")
        assert (results.hits[0].kind, results.hits[0].title) == ("person", "张三")
        assert find(staff, staff.employee_no).hits[0].title == "张三"

    def test_title_outweighs_body_and_a_phrase_beats_scattered_words(
        self, backend, static_provider, staff
    ):
        put_entries(
            static_provider,
            entry("knowledge", "body", "制度汇编", "其中规定了请假制度的流程"),
            entry("knowledge", "title", "请假制度", "流程说明"),
            entry("knowledge", "scattered", "年度制度汇编", "请示报告；假期安排；规章制度"),
        )
        assert [hit.key for hit in find(staff, "请假制度").hits][:2] == ["title", "body"]


class TestFacetsFiltersAndPaging:
    @pytest.fixture
    def catalogue(self, static_provider, backend):
        put_entries(
            static_provider,
            *[
                entry(
                    "knowledge",
                    f"k{n}",
                    f"安全手册{n}",
                    "安全",
                    unit="UA",
                    unit_name="甲单位",
                    date=aware(2026, 1, n + 1),
                )
                for n in range(5)
            ],
            *[
                entry(
                    "knowledge",
                    f"h{n}",
                    f"安全规程{n}",
                    "安全",
                    unit="HQ",
                    unit_name="总部",
                    date=aware(2026, 3, n + 1),
                )
                for n in range(3)
            ],
        )
        return static_provider

    def test_facets_count_what_matches(self, catalogue, staff):
        results = find(staff, "安全")
        assert results.total == 8
        assert [(f.value, f.label, f.count) for f in results.unit_facets] == [
            ("UA", "甲单位", 5),
            ("HQ", "总部", 3),
        ]
        assert [(f.value, f.count) for f in results.kind_facets] == [("knowledge", 8)]

    def test_a_unit_filter_narrows_results_not_its_own_facet(self, catalogue, staff):
        results = find(staff, "安全", units=["HQ"])
        assert results.total == 3
        assert {hit.unit for hit in results.hits} == {"HQ"}
        assert {f.value for f in results.unit_facets} == {"UA", "HQ"}

    def test_a_kind_filter_keeps_only_that_kind(self, catalogue, staff, portal, index_everything):
        NewsPageFactory(title="安全生产新闻")
        index_everything()
        assert find(staff, "安全").total == 9
        news = find(staff, "安全", kinds=["news"])
        assert [hit.kind for hit in news.hits] == ["news"]
        assert {(f.value, f.count) for f in news.kind_facets} == {("news", 1), ("knowledge", 8)}

    def test_date_range(self, catalogue, staff):
        from datetime import date

        results = find(staff, "安全", date_from=date(2026, 1, 2), date_to=date(2026, 1, 3))
        assert sorted(hit.key for hit in results.hits) == ["k1", "k2"]

    def test_sort_by_date_and_paging(self, catalogue, staff):
        first = find(staff, "安全", sort=Sort.DATE, page_size=3)
        assert [hit.key for hit in first.hits] == ["h2", "h1", "h0"]
        assert first.pages == 3 and first.has_next
        last = find(staff, "安全", sort=Sort.DATE, page_size=3, page=3)
        assert [hit.key for hit in last.hits] == ["k1", "k0"]

    def test_highlights_are_escaped_then_marked(self, backend, static_provider, staff):
        put_entries(
            static_provider,
            entry("knowledge", "x", "<b>安全</b>手册", "<script>alert(1)</script> 安全第一"),
        )
        hit = find(staff, "安全").hits[0]
        assert "<script>" not in str(hit.snippet_html)
        assert "&lt;script&gt;" in str(hit.snippet_html)
        assert "<mark>安全</mark>" in str(hit.snippet_html)
        assert "&lt;b&gt;" in str(hit.title_html) and "<mark>" in str(hit.title_html)


BAD_INPUT = [
    'AND OR NOT ( ) " * : ^ ~ { } [ ] \\',
    '"安全',
    "安全" * 5000,
    "x" * 10_000,
    "😀🚀 安全 👍",
    "\x00\x01\x07安全\x1f\x7f",
    "title:安全 OR 1=1; DROP TABLE search_searchentryrecord; --",
    "' OR ''='",
    "%_%",
    "NEAR(a b) a*",
    "　",
]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_returns_a_page_not_an_error(backend, static_provider, staff_client, text):
    put_entries(static_provider, entry("knowledge", "1", "安全手册"))
    response = staff_client.get(
        reverse("search:search"), {"q": text, "page": "x", "from": "2026-13-40", "kind": "bogus"}
    )
    assert response.status_code == 200
    api = staff_client.get("/api/search", {"q": text, "to": "yesterday", "kind": "bogus"})
    assert api.status_code == 200
