"""The transfer package built in the background from the catalogue screen, and its download:
for the unit's archivists only."""

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from archive import transfers
from archive.models import ArchiveFile, PackageExport
from archive.package_check import verify_package
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(fonds, archivist):
    return [archived_item(fonds, archivist, number=n) for n in (1, 2)]


def export_url(fonds):
    return reverse("archive:package_export", kwargs={"fonds_pk": fonds.pk})


def download_url(export):
    return reverse("archive:package_download", kwargs={"pk": export.pk})


def test_the_archivist_builds_a_package_in_the_background_and_downloads_it(
    archivist_client, fonds, items, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        archivist_client.post(export_url(fonds), {"year": "2025"})

    response = archivist_client.get(reverse("archive:catalogue", kwargs={"fonds_pk": fonds.pk}))
    assert "正在生成 2025 年度的移交包" in response.content.decode()
    export = PackageExport.objects.get()
    assert (export.state, export.item_count, export.error) == ("done", 2, "")
    assert export.package.storage.base_location.endswith("private")
    assert 'data-testid="package-download"' in response.content.decode()

    download = archivist_client.get(download_url(export))
    assert download["Content-Disposition"] == 'attachment; filename="Z109-2025.zip"'
    path = tmp_path / "download.zip"
    path.write_bytes(b"".join(download.streaming_content))
    assert verify_package(path).ok
    with zipfile.ZipFile(BytesIO(path.read_bytes())) as zipped:
        assert "Z109-2025/manifest.json" in zipped.namelist()


def test_only_the_units_archivists_build_or_download_packages(
    client, staff, other_archivist_client, archivist, fonds, items,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        export = transfers.package_export_request(user=archivist, fonds=fonds, year=2025)
    client.force_login(staff)

    for someone in (client, other_archivist_client):
        assert someone.post(export_url(fonds), {"year": "2025"}).status_code == 404
        assert someone.get(download_url(export)).status_code == 404
    assert PackageExport.objects.count() == 1


@pytest.mark.parametrize("year", ["", "abc", "99999", "2019"])
def test_a_bad_year_gets_a_message_and_builds_nothing(archivist_client, fonds, items, year):
    response = archivist_client.post(export_url(fonds), {"year": year}, follow=True)

    assert response.status_code == 200
    assert response.context["messages"]
    assert PackageExport.objects.count() == 0


def test_one_package_of_a_year_is_built_at_a_time(archivist, archivist_client, fonds, items):
    PackageExport.objects.create(fonds=fonds, year=2025, requested_by=archivist)

    response = archivist_client.post(export_url(fonds), {"year": "2025"}, follow=True)

    assert "2025 年度的移交包正在生成中" in response.content.decode()
    assert PackageExport.objects.count() == 1


def test_an_abandoned_build_does_not_block_the_year_for_ever(
    archivist, fonds, items, django_capture_on_commit_callbacks, english_messages
):
    stuck = PackageExport.objects.create(
        fonds=fonds, year=2025, requested_by=archivist, state=PackageExport.State.RUNNING
    )
    PackageExport.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - timedelta(hours=7)
    )

    with django_capture_on_commit_callbacks(execute=True):
        export = transfers.package_export_request(user=archivist, fonds=fonds, year=2025)

    stuck.refresh_from_db()
    export.refresh_from_db()
    assert (stuck.state, stuck.error) == ("failed", "Abandoned: not finished within 6 hours.")
    assert export.state == "done"


def test_a_failed_build_is_recorded_and_offers_nothing(
    archivist, archivist_client, fonds, items, english_messages
):
    # Tampered with behind the application's back: filed files refuse any change through it.
    QuerySet(ArchiveFile).filter(item=items[0]).update(sha256="0" * 64)
    export = PackageExport.objects.create(fonds=fonds, year=2025, requested_by=archivist)

    transfers.package_export_run(export.pk)

    export.refresh_from_db()
    assert export.state == "failed" and "no longer matches" in export.error
    assert not export.package
    assert archivist_client.get(download_url(export)).status_code == 404


def test_a_running_or_finished_export_is_not_built_again(archivist, fonds, items):
    export = PackageExport.objects.create(
        fonds=fonds, year=2025, requested_by=archivist, state=PackageExport.State.RUNNING
    )

    transfers.package_export_run(export.pk)

    export.refresh_from_db()
    assert export.state == "running"
    assert transfers.package_export_run(10**9) is None
