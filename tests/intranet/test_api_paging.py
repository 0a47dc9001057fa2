"""Every list endpoint of the API pages by one convention (intranet/paging.py): `page` and
`page_size` in, `count`, `page`, `num_pages` and `items` out; the size is cut to 50, a page past
the end gives the last one, and a number that is not a positive integer is refused with 422."""

import pytest

from intranet.paging import Converted, PageNumber
from knowledge.models import KnowledgeIndexPage
from tests.factories.knowledge import KnowledgeArticlePageFactory, KnowledgeCategoryPageFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/news",
    "/api/notices",
    "/api/knowledge/categories/{category}/items",
    "/api/documents/tasks",
    "/api/documents/incoming",
    "/api/search?q=安全",
    "/api/notifications",
    "/api/agenda/calendars",
    "/api/agenda/meetings",
]


@pytest.fixture
def category(portal):
    return KnowledgeCategoryPageFactory(parent=KnowledgeIndexPage.objects.get(), title="制度")


@pytest.mark.parametrize("url", LISTS)
def test_every_list_pages_by_the_one_convention(staff_client, category, url):
    url = url.format(category=category.pk)
    joiner = "&" if "?" in url else "?"

    past_the_end = staff_client.get(f"{url}{joiner}page=9&page_size=500").json()

    assert {key: past_the_end[key] for key in ("count", "page", "num_pages", "items")} == {
        "count": 0,
        "page": 1,
        "num_pages": 1,
        "items": [],
    }
    for malformed in ("page=0", "page=x", "page_size=0", "page_size=-3"):
        response = staff_client.get(f"{url}{joiner}{malformed}")
        assert response.status_code == 422, malformed
        assert response.json()["detail"]


def test_a_page_is_cut_counted_and_converted(staff_client, category):
    for number in range(5):
        KnowledgeArticlePageFactory(parent=category, title=f"条目{number}")

    body = staff_client.get(
        f"/api/knowledge/categories/{category.pk}/items?sort=title&page=2&page_size=2"
    ).json()

    assert (body["count"], body["page"], body["num_pages"]) == (5, 2, 3)
    assert [item["title"] for item in body["items"]] == ["条目2", "条目3"]


def test_only_the_cut_page_is_converted_and_the_size_is_cut_to_fifty():
    converted = []

    def convert(rows):
        converted.append(rows)
        return [row * 10 for row in rows]

    answer = PageNumber().paginate_queryset(
        Converted(list(range(120)), convert), PageNumber.Input(page=2, page_size=1000)
    )

    assert converted == [list(range(50, 100))]
    assert answer["items"] == [row * 10 for row in range(50, 100)]
    assert (answer["count"], answer["page"], answer["num_pages"]) == (120, 2, 3)
