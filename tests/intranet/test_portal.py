"""The portal registry: apps add their home-page panels; the home page imports no app."""

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory

from intranet import portal as portal_panels
from tests.factories import UserFactory

HOME = Path(__file__).resolve().parents[2] / "home"


@pytest.fixture
def registry(monkeypatch, tmp_path, settings):
    """An empty registry, with the panels' templates in a temporary folder."""
    monkeypatch.setattr(portal_panels, "_panels", {})
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return tmp_path


def add_panel(folder, key, order, text, **kwargs):
    (folder / f"{key}.html").write_text(
        f"<section>{text} {{{{ request.user.username }}}}</section>"
    )
    calls = []

    def context(request):
        calls.append(request)
        return {}

    portal_panels.register(
        portal_panels.PortalPanel(
            key=key, order=order, template=f"{key}.html", context=context, **kwargs
        )
    )
    return calls


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_panels_come_in_their_order_whatever_the_registration_order(registry):
    add_panel(registry, "schedule", 30, "日程")
    add_panel(registry, "todo", 10, "待办")
    add_panel(registry, "review", 20, "复核")

    html = portal_panels.rendered_panels(request_for(UserFactory()))

    assert [part.split()[0] for part in html] == ["<section>待办", "<section>复核", "<section>日程"]


@pytest.mark.django_db
def test_a_panel_the_user_may_not_see_is_left_out(registry):
    add_panel(registry, "todo", 10, "待办")
    add_panel(registry, "statistics", 20, "统计", visible_to=lambda user: user.is_superuser)

    ordinary = "".join(portal_panels.rendered_panels(request_for(UserFactory())))
    administrator = "".join(
        portal_panels.rendered_panels(request_for(UserFactory(is_superuser=True)))
    )

    assert "待办" in ordinary and "统计" not in ordinary
    assert "统计" in administrator


@pytest.mark.django_db
def test_a_panel_rendering_nothing_is_left_out(registry):
    (registry / "empty.html").write_text("{% if False %}x{% endif %}\n")
    portal_panels.register(
        portal_panels.PortalPanel(key="empty", order=1, template="empty.html", context=lambda r: {})
    )

    assert portal_panels.rendered_panels(request_for(UserFactory())) == []


@pytest.mark.django_db
def test_the_rendering_is_cached_until_the_panel_changes(registry, django_assert_num_queries):
    calls = add_panel(registry, "todo", 10, "待办")
    user = UserFactory()

    portal_panels.rendered_panels(request_for(user))
    with django_assert_num_queries(0):
        portal_panels.rendered_panels(request_for(user))
    assert len(calls) == 1

    portal_panels.panel_changed("todo")
    portal_panels.rendered_panels(request_for(user))
    assert len(calls) == 2


@pytest.mark.django_db
def test_each_user_gets_their_own_rendering(registry):
    (registry / "mine.html").write_text("<p>{{ name }}</p>")
    portal_panels.register(
        portal_panels.PortalPanel(
            key="mine",
            order=1,
            template="mine.html",
            context=lambda request: {"name": request.user.username},
        )
    )

    first = portal_panels.rendered_panels(request_for(UserFactory(username="zhangsan")))
    second = portal_panels.rendered_panels(request_for(UserFactory(username="lisi")))

    assert first == ["<p>zhangsan</p>"] and second == ["<p>lisi</p>"]


def test_the_apps_register_their_panels():
    keys = [panel.key for panel in portal_panels.panels()]
    assert keys == [
        "pending-tasks",
        "agenda-replies-due",
        "agenda-today",
        "deliveries",
        "agenda-meetings",
        "knowledge-review-due",
    ]


def test_home_imports_neither_workflow_nor_knowledge():
    imported = set()
    for path in HOME.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    assert not imported & {"workflow", "knowledge"}


def test_home_templates_include_no_other_app_s_templates():
    for path in (HOME / "templates").rglob("*.html"):
        text = path.read_text()
        assert '"knowledge/' not in text and '"workflow/' not in text, path


@pytest.mark.django_db
def test_the_home_page_costs_no_more_queries_with_the_panels(
    staff_client, portal, django_assert_max_num_queries
):
    staff_client.get("/")  # warm the caches the way a real visitor does
    # The session user, the page, and whether the user issues or edits notices (their own notices
    # are always theirs to see, so their cached notice list is their own), and the header's unread
    # count (one indexed query): the panels add none.
    with django_assert_max_num_queries(5):
        response = staff_client.get("/")
    assert 'data-testid="portal-pending-tasks"' in response.content.decode()
