"""The process administrator's red-head screen and its PDF preview."""

import pytest

from workflow.redhead.models import RedheadTemplate

pytestmark = pytest.mark.django_db

EDIT = "/workflow/redhead/"
PREVIEW = "/workflow/redhead/preview/"
FORM = {
    "issuer_mark": "甲单位文件",
    "mark_colour": "#E60012",
    "separator_colour": "#E60012",
    "signature_unit": "甲单位",
    "printing_unit": "甲单位办公室",
}


def test_the_process_administrator_saves_the_units_template(client, process_admin_a, unit_a):
    client.force_login(process_admin_a)
    assert "甲单位文件" in client.get(EDIT).content.decode()

    response = client.post(f"{EDIT}?unit={unit_a.pk}", {**FORM, "mark_colour": "#c00000"})

    assert response.status_code == 302
    template = RedheadTemplate.objects.get(unit=unit_a)
    assert (template.mark_colour, template.printing_unit) == ("#C00000", "甲单位办公室")


def test_a_bad_colour_is_refused_and_nothing_is_saved(client, process_admin_a, unit_a):
    client.force_login(process_admin_a)

    response = client.post(f"{EDIT}?unit={unit_a.pk}", {**FORM, "mark_colour": "red"})

    assert response.status_code == 200
    assert not RedheadTemplate.objects.exists()


def test_the_preview_is_a_pdf_of_the_unsaved_form(client, process_admin_a, unit_a):
    client.force_login(process_admin_a)

    response = client.post(f"{PREVIEW}?unit={unit_a.pk}", {**FORM, "issuer_mark": "甲单位试行文件"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not RedheadTemplate.objects.exists()
    bad = client.post(f"{PREVIEW}?unit={unit_a.pk}", {**FORM, "separator_colour": "#12"})
    assert bad.status_code == 400


def test_other_units_and_ordinary_users_cannot_edit_or_preview(
    client, process_admin_b, unit_a, unit_b, staff
):
    client.force_login(staff)
    assert client.get(EDIT).status_code == 403
    assert client.post(f"{PREVIEW}?unit={unit_a.pk}", FORM).status_code == 403

    client.force_login(process_admin_b)
    response = client.post(f"{EDIT}?unit={unit_a.pk}", {**FORM, "issuer_mark": "越权文件"})
    # The unit asked for is not theirs: the form edits their own unit's template instead.
    assert not RedheadTemplate.objects.filter(unit=unit_a).exists()
    assert response.status_code == 302
    assert RedheadTemplate.objects.get().unit == unit_b
