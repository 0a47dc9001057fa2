"""Who sees what: inheritance and override of view rights on pages, lists, the tree, downloads,
the API and the feed; edit rights follow the category."""

import pytest
from django.contrib.auth.models import Group

from knowledge.models import CategoryAccess
from knowledge.permissions import access_principals, can_edit, visible_knowledge
from knowledge.services import KnowledgeError, category_access_update
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.knowledge import (
    KnowledgeArticlePageFactory,
    KnowledgeCategoryPageFactory,
    KnowledgeFilePageFactory,
    add_version,
)
from tests.knowledge.conftest import grant_editors, restrict

pytestmark = pytest.mark.django_db


def sees(user, page) -> bool:
    return visible_knowledge(user).filter(pk=page.pk).exists()


@pytest.fixture
def restricted_tree(unit_a_only, administrator):
    """甲单位专区 › 制度 (inherits) › 一份文件 with a PDF."""
    sub = KnowledgeCategoryPageFactory(parent=unit_a_only, title="制度", slug="sub")
    item = KnowledgeFilePageFactory(parent=sub, title="内部文件", slug="internal")
    version = add_version(item, administrator, "内部.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
    return sub, item, version


def test_unit_members_see_a_restricted_category_and_what_inherits_it(
    staff_client, restricted_tree, unit_a_only
):
    sub, item, version = restricted_tree
    assert staff_client.get(unit_a_only.url).status_code == 200
    assert staff_client.get(sub.url).status_code == 200
    assert staff_client.get(item.url).status_code == 200
    download = staff_client.get(f"/knowledge-center/files/{version.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_other_units_get_404_on_pages_and_every_file_url(
    other_client, restricted_tree, unit_a_only
):
    sub, item, version = restricted_tree
    for url in [
        unit_a_only.url,
        sub.url,
        item.url,
        f"/knowledge-center/files/{version.pk}/download/",
        f"/knowledge-center/files/{version.pk}/view/",
        f"/knowledge-center/categories/{sub.pk}/feed/",
        f"/api/knowledge/items/{item.pk}",
        f"/api/knowledge/categories/{sub.pk}/items",
    ]:
        assert other_client.get(url).status_code == 404, url


def test_restricted_items_stay_out_of_lists_tree_api_and_feed(
    other_client, restricted_tree, unit_a_only, knowledge_index, rules
):
    KnowledgeArticlePageFactory(parent=rules, title="公开制度")
    index = other_client.get(knowledge_index.url).content.decode()
    assert "规章制度" in index and "公开制度" in index
    assert "甲单位专区" not in index and "内部文件" not in index
    tree = other_client.get("/api/knowledge/categories").json()
    assert [node["title"] for node in tree] == ["规章制度"]
    feed = other_client.get(f"/knowledge-center/categories/{rules.pk}/feed/").content.decode()
    assert "公开制度" in feed


def test_the_file_is_not_reachable_through_a_media_url(staff_client, restricted_tree, settings):
    _sub, _item, version = restricted_tree
    assert version.blob.path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError):
        version.blob.url  # noqa: B018 (no public URL exists)


def test_a_subcategory_can_narrow_but_not_widen(
    unit_a_only, administrator, staff, other_staff, unit_a
):
    narrower_unit = OrgUnitFactory(parent=unit_a, code="UA-CWB", name="财务部", kind="department")
    narrow = KnowledgeCategoryPageFactory(parent=unit_a_only, title="财务", slug="finance")
    restrict(narrow, administrator, units=[narrower_unit])
    finance_item = KnowledgeArticlePageFactory(parent=narrow)
    accountant = UserFactory(department=narrower_unit)
    assert sees(accountant, finance_item)
    assert not sees(staff, finance_item)  # unit A, but not the finance department

    wide = KnowledgeCategoryPageFactory(parent=unit_a_only, title="扩大", slug="wide")
    restrict(wide, administrator, units=[other_staff.department])
    assert not sees(other_staff, wide)


def test_groups_and_concurrent_posts_open_a_restricted_category(
    unit_a_only, administrator, other_staff, unit_a
):
    item = KnowledgeArticlePageFactory(parent=unit_a_only)
    assert not sees(other_staff, item)

    readers = Group.objects.create(name="安全员")
    restrict(unit_a_only, administrator, units=[unit_a], groups=[readers])
    other_staff.groups.add(readers)
    assert sees(type(other_staff).objects.get(pk=other_staff.pk), item)

    posted = UserFactory(department=other_staff.department)
    posted.concurrent_posts.create(department=unit_a)
    assert sees(posted, item)


def test_a_restriction_needs_someone_who_may_view(rules, administrator):
    with pytest.raises(KnowledgeError):
        category_access_update(
            category=rules,
            user=administrator,
            view_rule=CategoryAccess.ViewRule.RESTRICTED,
        )


def test_only_administrators_change_access(rules, staff, unit_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        category_access_update(
            category=rules, user=staff, view_rule="restricted", view_units=[unit_a]
        )


def test_anonymous_users_see_nothing(client, rules):
    KnowledgeArticlePageFactory(parent=rules)
    assert client.get(rules.url).status_code in (302, 404)


def test_access_principals_follow_the_restrictions(
    rules, unit_a_only, administrator, unit_a, staff
):
    open_item = KnowledgeArticlePageFactory(parent=rules)
    closed_item = KnowledgeArticlePageFactory(parent=unit_a_only)
    assert access_principals(open_item) == ("all",)
    assert access_principals(closed_item) == (f"org:{unit_a.path}",)

    department = staff.department
    narrow = KnowledgeCategoryPageFactory(parent=unit_a_only, slug="narrow")
    restrict(narrow, administrator, units=[department], editors=[administrator])
    nested = KnowledgeArticlePageFactory(parent=narrow)
    # The editor is not named by the outer restriction, so only the department remains.
    assert access_principals(nested) == (f"org:{department.path}",)


# Editing


def test_an_editor_of_one_category_cannot_edit_in_another(editor, rules, knowledge_index, client):
    other = KnowledgeCategoryPageFactory(parent=knowledge_index, title="技术标准", slug="standards")
    own_item = KnowledgeArticlePageFactory(parent=rules)
    other_item = KnowledgeArticlePageFactory(parent=other)
    assert can_edit(editor, own_item)
    assert not can_edit(editor, other_item)

    client.force_login(editor)
    assert client.get(f"/admin/pages/{own_item.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{other_item.pk}/edit/").status_code in (302, 403)
    assert (
        client.get(f"/admin/pages/add/knowledge/knowledgearticlepage/{rules.pk}/").status_code
        == 200
    )
    assert client.get(
        f"/admin/pages/add/knowledge/knowledgearticlepage/{other.pk}/"
    ).status_code in (302, 403)


def test_edit_grants_through_a_group(rules, administrator, other_staff):
    editors = Group.objects.create(name="知识编辑")
    grant_editors(rules, administrator, groups=[editors])
    item = KnowledgeArticlePageFactory(parent=rules)
    assert not can_edit(other_staff, item)
    other_staff.groups.add(editors)
    assert can_edit(type(other_staff).objects.get(pk=other_staff.pk), item)


def test_withdrawn_edit_grants_are_gone(editor, rules, administrator):
    item = KnowledgeArticlePageFactory(parent=rules)
    grant_editors(rules, administrator)
    assert not can_edit(type(editor).objects.get(pk=editor.pk), item)
    assert not Group.objects.filter(name=f"knowledge-{rules.pk}-editors").exists()


def test_ordinary_staff_cannot_upload(staff_client, rules, administrator):
    item = KnowledgeFilePageFactory(parent=rules)
    response = staff_client.get(f"/knowledge-center/items/{item.pk}/upload/")
    assert response.status_code == 403
