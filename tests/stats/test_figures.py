"""Every figure of a day, from constructed records with known answers."""

from datetime import timedelta

import pytest

from home.models import NoticePage, NoticeReadReceipt
from search.models import QueryLogEntry
from search.query import SearchQuery
from search.selectors import search_for
from stats.models import Figure
from stats.periods import beijing_today
from stats.selectors import p90
from stats.sources import day_figures
from tests.factories.knowledge import KnowledgeArticlePageFactory
from tests.factories.publishing import NoticePageFactory

from .conftest import HOUR, D, at

pytestmark = pytest.mark.django_db


def figures_of(day, unit):
    figures = day_figures(day)
    return {
        figure: value for (unit_id, figure), value in figures.values.items() if unit_id == unit.pk
    }, figures


def test_logins_and_active_users_follow_the_beijing_day(ua, ub, logins):
    values, figures = figures_of(D, ua.unit)
    assert values[Figure.LOGINS] == 3
    assert {user for unit, user in figures.active_users if unit == ua.unit.pk} == {
        ua.drafter.pk,
        ua.clerk.pk,
    }
    assert not any(unit == ub.unit.pk for unit, _user in figures.active_users)
    next_day, _ = figures_of(D + timedelta(days=1), ua.unit)
    assert next_day[Figure.LOGINS] == 1


def test_documents_sent_received_and_cancelled(ua, exchanged_documents, cancelled_document):
    values, _ = figures_of(D, ua.unit)
    assert values[Figure.DOCUMENTS_SENT] == 2
    assert values[Figure.DOCUMENTS_RECEIVED] == 1
    assert values[Figure.DOCUMENTS_CANCELLED] == 1
    next_day, _ = figures_of(D + timedelta(days=1), ua.unit)
    assert next_day[Figure.DOCUMENTS_SENT] == 1


def test_turnaround_counts_a_returned_step_twice_a_delegated_task_once_and_no_cancelled_task(
    ua, returned_document, delegated_document, cancelled_document
):
    values, figures = figures_of(D, ua.unit)
    # Four tasks of the returned document and the delegated sign-off; the cancelled check none.
    assert values[Figure.TASKS_FINISHED] == 5
    durations = {
        step: sorted(seconds)
        for (unit, flow, step), seconds in figures.durations.items()
        if unit == ua.unit.pk
    }
    assert durations == {
        "draft": [1 * HOUR, 3 * HOUR],
        "check": [2 * HOUR, 4 * HOUR],
        "sign_off": [5 * HOUR],
    }
    assert {flow for (_u, flow, _s) in figures.durations} == {"outgoing"}
    # Only the sign-off was done after its document's deadline.
    assert values[Figure.TASKS_OVERDUE] == 1
    day_before, _ = figures_of(D - timedelta(days=1), ua.unit)
    assert day_before[Figure.TASKS_FINISHED] == 3  # draft, check, verify of the delegated one
    assert Figure.TASKS_OVERDUE not in day_before


def test_p90_is_the_nearest_rank():
    assert p90([]) is None
    assert p90([5]) == 5
    assert p90(list(range(1, 11))) == 9
    assert p90(list(range(1, 12))) == 10


def test_notices_published_with_their_first_week_of_reads(portal, ua, ub):
    notice = NoticePageFactory(issuing_department=ua.office, title="全员通知")
    NoticePage.objects.filter(pk=notice.pk).update(first_published_at=at(D, 9))
    NoticeReadReceipt.objects.create(notice=notice, user=ua.drafter, read_at=at(D, 10))
    NoticeReadReceipt.objects.create(notice=notice, user=ub.drafter, read_at=at(D, 11))
    late = at(D + timedelta(days=7), 9)
    NoticeReadReceipt.objects.create(notice=notice, user=ua.clerk, read_at=late)
    values, _ = figures_of(D, ua.unit)
    assert values[Figure.NOTICES_PUBLISHED] == 1
    # Everyone active is in the audience: both units' casts (eleven each) and no one else.
    assert values[Figure.NOTICE_AUDIENCE] == 22
    assert values[Figure.NOTICE_READS] == 2


def test_knowledge_items_added(portal, ua):
    added = KnowledgeArticlePageFactory(owner_unit=ua.production)
    type(added).objects.filter(pk=added.pk).update(first_published_at=at(D, 9))
    values, _ = figures_of(D, ua.unit)
    assert values[Figure.KNOWLEDGE_ADDED] == 1


def test_knowledge_reviews_on_time_and_overdue_follow_the_beijing_day(ua, ub, reviews):
    values, _ = figures_of(D, ua.unit)
    # 准时 at 23:59:59, 提前 and the old record without a due date.
    assert values[Figure.KNOWLEDGE_REVIEWED] == 3
    assert values[Figure.KNOWLEDGE_REVIEWED_ON_TIME] == 2
    # 迟到 (done at the next day's first instant) and 未审; not the superseded 作废.
    assert values[Figure.KNOWLEDGE_REVIEWS_OVERDUE] == 2
    next_day, _ = figures_of(D + timedelta(days=1), ua.unit)
    assert next_day == {Figure.KNOWLEDGE_REVIEWED: 1}
    other_unit, _ = figures_of(D, ub.unit)
    assert other_unit == {Figure.KNOWLEDGE_REVIEWS_OVERDUE: 1}


def test_an_unreviewed_item_is_overdue_only_once_its_due_day_is_over(portal, ua):
    today = beijing_today()
    for title, due in (("今天到期", today), ("昨天到期", today - timedelta(days=1))):
        page = KnowledgeArticlePageFactory(title=title, owner_unit=ua.office)
        type(page).objects.filter(pk=page.pk).update(review_date=due)
    assert figures_of(today, ua.unit)[0].get(Figure.KNOWLEDGE_REVIEWS_OVERDUE) is None
    yesterday, _ = figures_of(today - timedelta(days=1), ua.unit)
    assert yesterday[Figure.KNOWLEDGE_REVIEWS_OVERDUE] == 1


def test_searches_are_logged_by_the_search_and_counted(ua):
    search_for(ua.drafter, SearchQuery.build("没有这个词"))
    search_for(ua.drafter, SearchQuery.build("没有这个词", page=2))  # paging is no new search
    entry = QueryLogEntry.objects.get()
    assert (entry.unit, entry.query, entry.results) == ("UA", "没有这个词", 0)
    QueryLogEntry.objects.update(searched_at=at(D, 12))
    QueryLogEntry.objects.create(searched_at=at(D, 13), unit="UA", query="制度", results=4)
    values, _ = figures_of(D, ua.unit)
    assert values[Figure.SEARCHES] == 2
    assert values[Figure.SEARCHES_WITHOUT_RESULTS] == 1
