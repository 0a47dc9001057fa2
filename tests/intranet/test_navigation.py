"""The header's menus come from the registry: each app adds its entries with a visibility rule,
the current section is marked, and who may not use an entry does not see it."""

import pytest
from django.test import RequestFactory

from intranet import navigation
from intranet.navigation import MAIN, USER, MenuItem, menu, register, unregister
from people.models import Role
from tests.factories import RoleAssignmentFactory


def request_for(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
def test_the_apps_entries_in_order(staff, portal):
    keys = [entry["key"] for entry in menu(request_for(staff), MAIN)]
    assert keys == [
        "home",
        "news",
        "notices",
        "knowledge",
        "documents",
        "agenda",
        "directory",
        "search",
    ]
    user_keys = [entry["key"] for entry in menu(request_for(staff), USER)]
    assert user_keys == ["profile", "directory-menu", "requests", "notification-settings"]


@pytest.mark.django_db
def test_administration_entries_only_for_those_who_may(staff, portal):
    RoleAssignmentFactory(user=staff, role=Role.FILE_CLERK, unit=staff.department.unit)
    keys = [entry["key"] for entry in menu(request_for(staff), USER)]
    assert "numbering" in keys
    assert "administration" not in keys and "redhead" not in keys and "content-admin" not in keys


@pytest.mark.django_db
def test_the_current_section_is_marked(staff, portal):
    def active(path):
        return [e["key"] for e in menu(request_for(staff, path), MAIN) if e["active"]]

    assert active("/") == ["home"]
    assert active("/news/") == ["news"]
    assert active("/knowledge-center/files/1/download/") == ["knowledge"]
    assert active("/people/directory/") == ["directory"]


@pytest.mark.django_db
def test_an_app_adds_an_entry_with_its_rule(staff, portal):
    register(MenuItem(key="example", label="示例", order=55, url="/example/", visible_to=bool))
    try:
        assert "example" in [entry["key"] for entry in menu(request_for(staff), MAIN)]
        register(
            MenuItem(key="example", label="示例", order=55, url="/example/", visible_to=lambda u: 0)
        )
        assert "example" not in [entry["key"] for entry in menu(request_for(staff), MAIN)]
    finally:
        unregister("example")


def test_an_entry_names_exactly_one_target():
    with pytest.raises(ValueError):
        register(MenuItem(key="x", label="x", order=1))
    with pytest.raises(ValueError):
        register(MenuItem(key="x", label="x", order=1, url="/", section="news"))


@pytest.mark.django_db
def test_section_urls_are_cached_and_forgotten_on_publish(staff, portal, django_assert_num_queries):
    menu(request_for(staff), MAIN)
    with django_assert_num_queries(0):
        menu(request_for(staff), MAIN)
    portal.save_revision().publish()
    assert navigation.cache.get(navigation.SECTION_URLS_CACHE_KEY) is None


@pytest.mark.django_db
def test_an_entry_by_url_name_follows_a_change_of_urls(staff, portal, settings):
    register(MenuItem(key="example", label="示例", order=55, url_name="hello"))
    try:

        def example_url():
            entries = menu(request_for(staff), MAIN)
            return next(entry["url"] for entry in entries if entry["key"] == "example")

        assert example_url() == "/hello/"
        settings.ROOT_URLCONF = "tests.intranet.moved_hello_urls"
        assert example_url() == "/moved/hello/"
    finally:
        unregister("example")
