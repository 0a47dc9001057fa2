"""Who sees which statistics, bad input, exports and the bulletin; query budgets."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from people.models import Role
from stats.models import MonthlyBulletin
from stats.services import rollup_range
from tests.factories import RoleAssignmentFactory, UserFactory

from .conftest import D

pytestmark = pytest.mark.django_db
PERIOD = f"?period=custom&from={(D - timedelta(days=2)).isoformat()}&to={D.isoformat()}"


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def system_admin(ua):
    admin = UserFactory(username="stats-admin", department=ua.office)
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    return admin


@pytest.fixture
def rolled(ua, ub, logins, returned_document, delegated_document, cancelled_document):
    rollup_range(D - timedelta(days=2), D)


def test_the_group_view_is_for_system_administrators_and_the_headquarters_office(
    ua, ub, hq_office, system_admin, rolled
):
    for user in (system_admin, hq_office):
        response = client_of(user).get(f"/stats/group/{PERIOD}")
        assert response.status_code == 200
        assert "甲单位" in response.text and "乙单位" in response.text
    for user in (ua.verifier, ua.outsider, ua.clerk):
        assert client_of(user).get(f"/stats/group/{PERIOD}").status_code == 404
        assert client_of(user).get("/stats/group/export/").status_code == 404
        assert client_of(user).get("/stats/bulletins/").status_code == 404


def test_the_group_view_sorts_on_a_column(ua, ub, system_admin, rolled):
    html = client_of(system_admin).get(f"/stats/group/{PERIOD}&sort=logins&order=asc").text
    assert html.index('data-unit="UB"') < html.index('data-unit="UA"')
    html = client_of(system_admin).get(f"/stats/group/{PERIOD}&sort=logins&order=desc").text
    assert html.index('data-unit="UA"') < html.index('data-unit="UB"')


def test_a_unit_view_is_for_its_administrators_and_the_group_viewers(ua, ub, hq_office, rolled):
    url = f"/stats/units/{ua.unit.pk}/{PERIOD}"
    for user in (ua.verifier, hq_office):
        assert client_of(user).get(url).status_code == 200
    for user in (ub.verifier, ua.outsider):
        assert client_of(user).get(url).status_code == 404
        assert client_of(user).get(f"/stats/units/{ua.unit.pk}/export/").status_code == 404
    assert client_of(ua.verifier).get(f"/stats/units/{ua.office.pk}/").status_code == 404


def test_nobody_sees_another_units_lists(ua, ub, hq_office, system_admin, rolled):
    url = f"/stats/units/{ua.unit.pk}/figures/logins/{PERIOD}"
    response = client_of(ua.verifier).get(url)
    assert response.status_code == 200
    assert ua.drafter.username in response.text
    assert client_of(system_admin).get(url).status_code == 200
    for user in (hq_office, ub.verifier, ua.outsider):
        assert client_of(user).get(url).status_code == 404
        assert client_of(user).get(url.replace("/logins/", "/logins/export/")).status_code == 404
    # The group view links a unit's figures only where its lists may be seen.
    html = client_of(hq_office).get(f"/stats/group/{PERIOD}").text
    assert f"/stats/units/{ua.unit.pk}/figures/" not in html


def test_the_lists_behind_the_step_figures(ua, rolled):
    client = client_of(ua.verifier)
    html = client.get(f"/stats/units/{ua.unit.pk}/figures/tasks_overdue/{PERIOD}").text
    assert "委托签发的文件" in html and "退回重办的文件" not in html
    html = client.get(f"/stats/units/{ua.unit.pk}/figures/tasks_finished/{PERIOD}").text
    assert html.count("退回重办的文件") == 4
    html = client.get(f"/stats/units/{ua.unit.pk}/figures/documents_cancelled/{PERIOD}").text
    assert "撤销的文件" in html


def test_an_unknown_figure_or_a_bad_period(ua):
    client = client_of(ua.verifier)
    assert client.get(f"/stats/units/{ua.unit.pk}/figures/nothing/").status_code == 404
    assert client.get(f"/stats/units/{ua.unit.pk}/figures/score/").status_code == 404
    for query in (
        "?period=week",
        "?period=day&date=2026-13-01",
        "?period=custom&from=2026-03-10&to=2026-03-01",
        "?period=year&year=19999",
        "?period=custom&from=2000-01-01&to=2026-03-01",
    ):
        response = client.get(f"/stats/units/{ua.unit.pk}/{query}")
        assert response.status_code == 200, query
        assert 'class="xt-message' in response.text or "xt-messages" in response.text, query


def test_exports_are_spreadsheets_that_never_run_a_formula(ua, system_admin, rolled):
    from workflow.models import Document

    Document.objects.filter(title="撤销的文件").update(title='=HYPERLINK("x")')
    client = client_of(ua.verifier)
    response = client.get(f"/stats/units/{ua.unit.pk}/figures/documents_cancelled/export/{PERIOD}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    response = client_of(system_admin).get(f"/stats/group/export/{PERIOD}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [row[0] for row in rows[1:]] == ["东方重工集团有限公司", "甲单位", "乙单位"]
    response = client.get(f"/stats/units/{ua.unit.pk}/export/{PERIOD}")
    assert (
        load_workbook(io.BytesIO(response.content)).sheetnames == ["Per day", "Per step"]
        or len(load_workbook(io.BytesIO(response.content)).sheetnames) == 2
    )


def test_the_bulletin_is_generated_on_demand_by_the_group_viewers(ua, ub, hq_office, rolled):
    client = client_of(hq_office)
    response = client.post("/stats/bulletins/generate/", {"month": "2026-03"}, follow=True)
    assert "2026-03 通报已生成。" in response.text
    bulletin = MonthlyBulletin.objects.get()
    assert bulletin.pdf.read().startswith(b"%PDF")
    assert client.get(f"/stats/bulletins/{bulletin.pk}/pdf/").status_code == 200
    response = client.post("/stats/bulletins/generate/", {"month": "March"}, follow=True)
    assert "日期请按 YYYY-MM-DD 格式填写。" in response.text
    assert MonthlyBulletin.objects.count() == 1
    assert (
        client_of(ua.verifier).post("/stats/bulletins/generate/", {"month": "2026-03"}).status_code
        == 404
    )
    assert client_of(ua.verifier).get(f"/stats/bulletins/{bulletin.pk}/pdf/").status_code == 404
    assert client.get("/stats/bulletins/generate/").status_code == 405


def test_the_screens_keep_to_their_query_budget(
    ua, ub, system_admin, rolled, django_assert_max_num_queries
):
    client = client_of(system_admin)
    client.get("/stats/group/")  # today's live figures, cached for a minute
    for url in (
        f"/stats/group/{PERIOD}",
        "/stats/group/",
        f"/stats/units/{ua.unit.pk}/{PERIOD}",
        f"/stats/units/{ua.unit.pk}/",
        f"/stats/units/{ua.unit.pk}/figures/tasks_finished/{PERIOD}",
        f"/stats/units/{ua.unit.pk}/figures/notices_published/{PERIOD}",
    ):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_the_office_drafts_the_bulletin_as_a_notice(portal, ua, hq_office, rolled):
    from home.models import NoticePage

    client = client_of(hq_office)
    client.post("/stats/bulletins/generate/", {"month": "2026-03"})
    bulletin = MonthlyBulletin.objects.get()
    assert client_of(ua.verifier).post(f"/stats/bulletins/{bulletin.pk}/notice/").status_code == 404
    assert not NoticePage.objects.exists()
    response = client.post(f"/stats/bulletins/{bulletin.pk}/notice/", follow=True)
    assert response.status_code == 200
    notice = NoticePage.objects.get()
    assert not notice.live and notice.title == "2026-03 系统应用情况通报"
    (attachment,) = notice.get_latest_revision_as_object().attachments.all()
    assert attachment.document.file.read().startswith(b"%PDF")


def test_the_list_of_notices_counts_the_first_week_of_reads(portal, ua):
    from home.models import NoticePage, NoticeReadReceipt
    from tests.factories.publishing import NoticePageFactory

    from .conftest import at

    notice = NoticePageFactory(issuing_department=ua.office, title="一周阅读")
    NoticePage.objects.filter(pk=notice.pk).update(first_published_at=at(D, 9))
    NoticeReadReceipt.objects.create(notice=notice, user=ua.drafter, read_at=at(D, 10))
    late = at(D + timedelta(days=8), 10)
    NoticeReadReceipt.objects.create(notice=notice, user=ua.clerk, read_at=late)
    html = (
        client_of(ua.verifier)
        .get(f"/stats/units/{ua.unit.pk}/figures/notices_published/{PERIOD}")
        .text
    )
    assert "一周阅读" in html
    assert "<td>1</td>" in html


def test_knowledge_reviews_on_time_and_overdue_on_every_screen(ua, ub, system_admin, reviews):
    rollup_range(D, D + timedelta(days=1))
    period = f"?period=custom&from={D.isoformat()}&to={(D + timedelta(days=1)).isoformat()}"
    admin = client_of(system_admin)
    html = admin.get(f"/stats/group/{period}").text
    row = html[html.index('data-unit="UA"') :]
    assert '<td class="xt-num" data-column="knowledge_reviewed_on_time"><a ' in row
    assert ">2</a></td>" in row[row.index('data-column="knowledge_reviewed_on_time"') :][:200]
    assert ">2</a></td>" in row[row.index('data-column="knowledge_reviews_overdue"') :][:200]
    unit_html = client_of(ua.verifier).get(f"/stats/units/{ua.unit.pk}/{period}").text
    assert "按期复核" in unit_html and "逾期复核" in unit_html

    lists = client_of(ua.verifier)
    html = lists.get(f"/stats/units/{ua.unit.pk}/figures/knowledge_reviewed_on_time/{period}").text
    assert "准时" in html and "提前" in html and "迟到" not in html and "旧记录" not in html
    html = lists.get(f"/stats/units/{ua.unit.pk}/figures/knowledge_reviews_overdue/{period}").text
    assert "迟到" in html and "未审" in html and "作废" not in html and "乙未审" not in html
    html = lists.get(f"/stats/units/{ua.unit.pk}/figures/knowledge_reviewed/{period}").text
    assert all(title in html for title in ("准时", "迟到", "提前", "旧记录"))
    for user in (ub.verifier, ua.outsider):
        url = f"/stats/units/{ua.unit.pk}/figures/knowledge_reviews_overdue/{period}"
        assert client_of(user).get(url).status_code == 404

    sheet = load_workbook(io.BytesIO(admin.get(f"/stats/group/export/{period}").content)).active
    rows = list(sheet.values)
    on_time = rows[0].index("按期复核")
    overdue = rows[0].index("逾期复核")
    (ua_row,) = [row for row in rows if row[0] == "甲单位"]
    assert (ua_row[on_time], ua_row[overdue]) == (2, 2)
    workbook = load_workbook(
        io.BytesIO(lists.get(f"/stats/units/{ua.unit.pk}/export/{period}").content)
    )
    days = list(workbook.worksheets[0].values)
    on_time = days[0].index("按期复核")
    assert [row[on_time] for row in days[1:]] == [2, 0]


def test_the_bulletin_shows_the_knowledge_reviews(ua, ub, reviews):
    from stats.bulletin import bulletin_html
    from stats.periods import month_period

    rollup_range(D, D + timedelta(days=1))
    html = bulletin_html(month_period(D.year, D.month))
    table = html[html.index('data-testid="bulletin-knowledge"') :]
    row = table[table.index("甲单位") :]
    cells = [cell.split("<")[0] for cell in row.split('<td class="num">')[1:5]]
    assert cells == ["0", "4", "2", "2"]
