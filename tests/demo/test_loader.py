"""The one loader: demo data as data files, dated from the load day, shipped apps hold none."""

import io
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archive.models import FondsSettings
from demo.loader import demo_load
from demo.pictures import draw_picture
from home.models import NewsPage, NoticePage
from people.models import OrgUnit, Role, User

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def load_day(monkeypatch):
    """Make `day` today for the loader and the models' own checks (pins must not be past)."""

    def travel(day: date):
        moment = timezone.make_aware(datetime.combine(day, time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day)

    return travel


def test_the_shipped_apps_hold_no_demo_code():
    for path in [
        "home/demo.py",
        "knowledge/demo.py",
        "knowledge/samplefiles.py",
        "workflow/demo.py",
    ]:
        assert not (ROOT / path).exists(), path
    assert not (ROOT / "intranet/management/commands/load_demo.py").exists()


@pytest.mark.django_db
def test_a_demo_loaded_in_november_speaks_of_autumn_and_dates_from_that_day(load_day):
    load_day(date(2026, 11, 29))
    demo_load()

    titles = " ".join(NoticePage.objects.values_list("title", flat=True))
    titles += " ".join(NewsPage.objects.values_list("title", flat=True))
    assert "秋季安全生产大检查" in titles and "2027年元旦放假安排" in titles
    assert "秋收时节" in titles
    assert not any(word in titles for word in ("春季", "清明", "春耕", "第一季度财务"))
    inspection = NoticePage.objects.get(slug="safety-inspection")
    assert inspection.first_published_at.date() == date(2026, 11, 27)
    assert "12月11日前" in inspection.body
    assert NewsPage.objects.order_by("news_date").first().news_date == date(2026, 10, 4)


@pytest.mark.django_db
def test_a_demo_loaded_in_april_speaks_of_spring(load_day):
    load_day(date(2026, 4, 2))
    demo_load()

    titles = " ".join(NoticePage.objects.values_list("title", flat=True))
    assert "2026年春季安全生产大检查" in titles and "清明节" in titles


@pytest.mark.django_db
def test_every_unit_has_an_archivist_and_fonds_and_the_archivist_opens_the_to_file_list(client):
    demo_load()

    units = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT])
    assert units.count() == 4
    codes = set()
    for unit in units:
        fonds = FondsSettings.objects.get(unit=unit)
        codes.add(fonds.fonds_code)
        departments = fonds.class_codes.exclude(department=None)
        assert departments.count() >= 2
        assert all(code.department.unit_id == unit.pk for code in departments)
        archivist = User.objects.get(
            role_assignments__role=Role.ARCHIVIST, role_assignments__unit=unit
        )
        assert fonds.updated_by == archivist
        client.force_login(archivist)
        response = client.get(reverse("archive:to_file", args=[unit.pk]))
        assert response.status_code == 200
        assert response.context["fonds"] == fonds
    assert codes == {"J001", "J002", "J003", "J004"}


def test_the_pictures_carry_no_caption_band():
    """The old pictures had their caption printed on a black band at the bottom, which the
    carousel's crop cut in half."""
    width, height = 960, 540
    for seed in range(12):
        picture = Image.open(io.BytesIO(draw_picture(seed=seed))).convert("L")
        band = list(picture.crop((0, height - 96, width, height)).getdata())
        assert sum(value < 12 for value in band) < len(band) / 2, seed
