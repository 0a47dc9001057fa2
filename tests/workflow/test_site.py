"""The viewflow site is mounted at /workflow/ and drawn inside the intranet's layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_workflow_root_leads_to_my_todo_list(staff_client, portal):
    response = staff_client.get("/workflow/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/workflow/outgoing/todo/"


def test_document_screens_are_in_the_intranet_layout_with_the_projects_menu(
    staff_client, staff, portal
):
    html = staff_client.get("/workflow/documents/new/").content.decode()
    assert "东方重工集团" in html
    assert 'class="is-active" aria-current="page">公文办理</a>' in html
    assert "/workflow/documents/inbox/" not in html and "待领取" not in html  # viewflow's
    for url in [
        "/workflow/outgoing/todo/",
        "/workflow/outgoing/done/",
        "/workflow/outgoing/drafts/",
    ]:
        assert f'href="{url}"' in html
