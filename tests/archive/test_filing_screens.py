"""The filing screens: who sees them (another unit's archivist and a clerk see nothing), what they
show, and bad input answered with a message and no change."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from archive.models import ArchiveItem, FondsSettings, RetentionRule
from tests.archive.conftest import constructed_incoming, constructed_outgoing
from tests.factories.archive import archived_item, archivist_of, fonds_of
from tests.factories.documents import OfficeFactory
from workflow.models import DocumentType

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(office):
    other = OfficeFactory("UB", "乙单位", parent=office.unit.get_parent())
    fonds_of(other.unit, fonds_code="Z110")
    return other


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_archivist_sees_the_proposed_items(client, office, fonds, archivist):
    reply = constructed_outgoing(office, doc_type=DocumentType.LETTER, title="关于协助调查的复函")
    constructed_incoming(office, reply=reply, title="关于协助调查的函")
    for n in range(5):
        constructed_outgoing(office, title=f"通知{n}")
    response = signed_in(client, archivist).get(reverse("archive:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "关于协助调查的复函" in page and "关于协助调查的函" in page
    assert page.count('data-testid="to-file-row"') == 6


def test_the_list_reads_a_bounded_number_of_queries(
    client, office, fonds, archivist, django_assert_max_num_queries
):
    for n in range(10):
        reply = constructed_outgoing(office, title=f"复函{n}")
        constructed_incoming(office, reply=reply)
    signed_in(client, archivist)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("archive:to_file", args=[office.unit.pk]))
    assert response.content.decode().count('data-testid="to-file-row"') == 10


def test_another_units_archivist_and_a_clerk_see_nothing(client, office, fonds, archivist, other):
    item = archived_item(fonds, archivist)
    document = constructed_outgoing(office)
    urls = [
        reverse("archive:to_file", args=[office.unit.pk]),
        reverse("archive:file_item", args=[office.unit.pk]) + f"?documents={document.pk}",
        reverse("archive:item", args=[item.pk]),
        reverse("archive:settings", args=[office.unit.pk]),
    ]
    for user in (archivist_of(other.unit, "DAB"), office.clerk, office.outsider):
        signed_in(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(
            reverse("archive:file_item", args=[office.unit.pk]), {"documents": [document.pk]}
        )
        assert response.status_code == 404
    assert not ArchiveItem.objects.exclude(pk=item.pk).exists()


def test_an_item_is_seen_by_its_audience_and_not_by_others(client, office, fonds, archivist):
    item = archived_item(fonds, archivist, audience=[f"user:{office.drafter.pk}"])
    url = reverse("archive:item", args=[item.pk])
    assert signed_in(client, office.drafter).get(url).status_code == 200
    assert signed_in(client, office.outsider).get(url).status_code == 404


def test_filing_through_the_form_lands_on_the_item(client, office, fonds, archivist):
    document = constructed_outgoing(office)
    signed_in(client, archivist)
    url = reverse("archive:file_item", args=[office.unit.pk])
    form = client.get(url, {"documents": document.pk})
    assert document.title in form.content.decode()
    response = client.post(
        url, {"documents": [document.pk], "retention": "D10", "access": "controlled"}
    )
    item = ArchiveItem.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("archive:item", args=[item.pk])
    page = client.get(response.url).content.decode()
    assert item.archive_code in page


def test_the_form_refuses_with_a_message_and_files_nothing(client, office, fonds, archivist):
    document = constructed_outgoing(office)
    signed_in(client, archivist)
    url = reverse("archive:file_item", args=[office.unit.pk])
    for data in (
        {"documents": [document.pk], "retention": "Y", "access": "controlled"},
        {"documents": ["x", "-1", "99999999999"], "retention": "D10", "access": "controlled"},
        {"documents": [document.pk], "retention": "nope", "access": "controlled"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
    assert not ArchiveItem.objects.exists()


def test_a_document_is_added_by_hand_before_filing(client, office, fonds, archivist):
    first, second = constructed_outgoing(office, title="甲"), constructed_incoming(office)
    signed_in(client, archivist)
    url = reverse("archive:file_item", args=[office.unit.pk])
    page = client.post(url, {"documents": [first.pk], "add": "1", "add_document": second.pk})
    assert page.content.decode().count('data-testid="item-document"') == 2


def test_settings_refuse_bad_codes_with_a_message(client, office, archivist):
    signed_in(client, archivist)
    url = reverse("archive:settings", args=[office.unit.pk])
    response = client.post(
        url, {"action": "fonds", "fonds_code": "z-1!", "category_code": "WS", "scheme": "subject"}
    )
    assert response.status_code == 400
    assert not FondsSettings.objects.exists()
    response = client.post(
        url, {"action": "fonds", "fonds_code": "z109", "category_code": "ws", "scheme": "subject"}
    )
    assert response.status_code == 302
    fonds = FondsSettings.objects.get()
    assert (fonds.fonds_code, fonds.category_code, fonds.scheme) == ("Z109", "WS", "subject")


def test_the_unit_administrator_keeps_the_settings_too(client, office, fonds):
    signed_in(client, office.verifier)  # the unit's administrator
    url = reverse("archive:settings", args=[office.unit.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"action": "class_code", "code": "CWB", "name": "财务部", "department": office.finance.pk},
    )
    assert response.status_code == 302
    assert fonds.class_codes.filter(code="CWB", department=office.finance).exists()
    response = client.post(url, {"action": "class_code", "code": "CWB", "name": "重复"})
    assert response.status_code == 400


def test_codes_stay_fixed_once_items_are_filed(client, office, fonds, archivist):
    archived_item(fonds, archivist)
    signed_in(client, archivist)
    response = client.post(
        reverse("archive:settings", args=[office.unit.pk]),
        {"action": "fonds", "fonds_code": "Z999", "category_code": "WS", "scheme": "organisation"},
    )
    assert response.status_code == 400
    fonds.refresh_from_db()
    assert fonds.fonds_code == "Z109"


def test_retention_rules_are_saved_apart_from_the_defaults(client, office, fonds, archivist):
    from archive.retention import DEFAULT_RETENTION

    signed_in(client, archivist)
    data = {
        "action": "retention",
        **{str(key): str(value) for key, value in DEFAULT_RETENTION.items()},
    }
    data["notice"] = "D30"
    response = client.post(reverse("archive:settings", args=[office.unit.pk]), data)
    assert response.status_code == 302
    assert list(RetentionRule.objects.values_list("doc_type", "retention")) == [("notice", "D30")]
    data["letter"] = "forever"
    response = client.post(reverse("archive:settings", args=[office.unit.pk]), data)
    assert response.status_code == 400


def test_the_archive_menu_is_shown_to_archivists_only(client, office, fonds, archivist):
    from intranet.navigation import MAIN, menu

    request = RequestFactory().get("/")
    request.user = archivist
    assert any(entry["key"] == "archive" for entry in menu(request, MAIN))
    request.user = office.clerk
    assert not any(entry["key"] == "archive" for entry in menu(request, MAIN))
