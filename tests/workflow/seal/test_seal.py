"""The electronic seal (用印): keys from the installation's CA kept encrypted, the seal image
over the signature and date, a PAdES signature that poppler's pdfsig accepts, and verification
that tells valid, changed since sealing and unknown signer apart."""

import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from PIL import Image

from workflow.seal import keys, services
from workflow.seal.errors import SealError
from workflow.seal.models import SealAuthority, UnitSeal
from workflow.seal.verification import Verdict, verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


def test_keys_are_stored_encrypted_and_unreadable_without_the_environments_key(seal, settings):
    stored = bytes(UnitSeal.objects.get(pk=seal.pk).key_encrypted)
    assert b"PRIVATE KEY" not in stored
    certificate, _key = keys.unit_signing_material(seal)
    assert certificate.issuer == keys.authority_certificate().subject

    settings.SEAL_ENCRYPTION_KEY = "another-installation"
    with pytest.raises(SealError, match="SEAL_ENCRYPTION_KEY"):
        keys.unit_signing_material(seal)


def test_the_authority_is_created_once(authority):
    with pytest.raises(SealError):
        keys.create_authority("第二个CA")
    assert SealAuthority.objects.count() == 1


def test_the_generated_seal_is_a_round_red_image(seal):
    picture = Image.open(io.BytesIO(bytes(seal.image))).convert("RGBA")
    width, height = picture.size
    red, green, blue, alpha = picture.getpixel((width // 2, height // 2))  # the star's centre

    assert width == height
    assert (red > 200, green < 40, blue < 60, alpha) == (True, True, True, 255)
    assert picture.getpixel((2, 2))[3] == 0, "transparent outside the circle"


def test_a_sealed_pdf_verifies_as_valid_here_and_with_pdfsig(sealed, office, tmp_path):
    result = verify(sealed.data)

    assert (result.verdict, result.signer) == (Verdict.VALID, office.unit.name)
    assert len(sealed.sha256) == 64
    report = pdfsig(sealed.data, tmp_path)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert office.unit.name in report


def test_the_seal_is_pressed_over_the_signature_and_date(sealed, document_pdf):
    import pdfplumber

    page_index, (x1, y1, x2, y2) = services.seal_box(document_pdf)
    with pdfplumber.open(io.BytesIO(sealed.data)) as document:
        page = document.pages[page_index]
        widget = page.annots[-1]
        lines = {line["text"].replace(" ", ""): line for line in page.extract_text_lines()}
    date = lines["2026年11月25日"]
    signature = lines["东方重工集团有限公司"]
    top = page.height - y2
    bottom = page.height - y1
    assert (round(widget["x0"]), round(widget["x1"])) == (round(x1), round(x2))
    assert x1 < date["x0"] and date["x1"] < x2
    assert x1 < (signature["x0"] + signature["x1"]) / 2 < x2
    for line in (date, signature):
        assert top < line["top"] and line["bottom"] < bottom
    # Signature and date sit in the lower half of the seal.
    assert signature["top"] > (top + bottom) / 2 - 20


def test_minutes_are_signed_without_the_seal_image(seal, office, tmp_path):
    from workflow.redhead.services import render_redhead_pdf

    from ..redhead.pdf_tools import notice

    minutes = render_redhead_pdf(notice(print_format="minutes", issuer_mark="甲单位办公会议纪要"))

    signed = services.apply_seal(minutes, office.unit, office.seal_keeper, pressed=False)
    pressed = services.apply_seal(minutes, office.unit, office.seal_keeper)

    assert verify(signed.data).verdict == Verdict.VALID
    assert office.unit.name in signed.signer
    assert image_count(signed.data, tmp_path) == image_count(minutes, tmp_path)
    assert image_count(pressed.data, tmp_path) > image_count(minutes, tmp_path)


def image_count(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    return len(listing.stdout.splitlines()) - 2


def test_a_tampered_pdf_fails_with_the_reason(sealed, tmp_path):
    tampered = sealed.data.replace(b"/MediaBox", b"/MediaBoX", 1)

    result = verify(tampered)

    assert result.verdict == Verdict.CHANGED
    assert "changed after sealing" in result.reason or "readable" in result.reason
    assert "Signature is Valid." not in pdfsig(tampered, tmp_path)


def test_content_added_after_sealing_is_reported(sealed):
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed.data))
    writer.root[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    changed = io.BytesIO()
    writer.write(changed)

    result = verify(changed.getvalue())

    assert result.verdict == Verdict.CHANGED
    assert result.reason == "Content was added to the file after it was sealed."


def test_a_seal_from_another_installation_is_an_unknown_signer(sealed):
    SealAuthority.objects.all().delete()
    keys.create_authority("另一个CA")

    result = verify(sealed.data)

    assert result.verdict == Verdict.UNKNOWN_SIGNER


def test_an_unsealed_pdf_says_so(document_pdf):
    assert verify(document_pdf).verdict == Verdict.UNSEALED


def test_only_the_units_seal_keeper_may_apply_its_seal(seal, office, other_office, document_pdf):
    for user in (office.drafter, office.clerk, office.process_admin, other_office.seal_keeper):
        with pytest.raises(PermissionDenied):
            services.apply_seal(document_pdf, office.unit, user)


def test_a_seal_step_without_a_seal_configured_is_told_so(authority, office, document_pdf):
    with pytest.raises(SealError, match="has no seal configured yet"):
        services.apply_seal(document_pdf, office.unit, office.seal_keeper)


def test_a_pdf_without_a_date_line_is_refused(seal, office):
    from workflow.redhead.services import render_redhead_pdf

    from ..redhead.pdf_tools import notice

    with pytest.raises(SealError):
        services.apply_seal(
            render_redhead_pdf(notice(date_text="")), office.unit, office.seal_keeper
        )


def test_an_uploaded_image_replaces_the_drawn_one(authority, office):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 0, 0)).save(buffer, format="PNG")

    png = buffer.getvalue()

    seal = services.seal_create(unit=office.unit, keepers=[office.seal_keeper], image_png=png)

    assert seal.image_uploaded
    assert Image.open(io.BytesIO(bytes(seal.image))).size == (600, 600)


def test_a_broken_image_is_refused_and_nothing_is_created(authority, office):
    with pytest.raises(SealError):
        services.seal_create(
            unit=office.unit, keepers=[office.seal_keeper], image_png=b"not an image"
        )
    assert not UnitSeal.objects.exists()


def test_the_commands_make_keys_and_verify_offline(office, tmp_path, document_pdf, capsys):
    call_command("seal_keys", "authority", "命令行CA")
    call_command("seal_keys", "unit", office.unit.code, "--keeper", office.seal_keeper.username)
    sealed = services.apply_seal(document_pdf, office.unit, office.seal_keeper)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed.data)

    call_command("verify_pdf", str(path))
    assert office.unit.name in capsys.readouterr().out

    path.write_bytes(sealed.data.replace(b"/MediaBox", b"/MediaBoX", 1))
    with pytest.raises(CommandError):
        call_command("verify_pdf", str(path))


def test_the_unit_command_needs_a_keeper(authority, office):
    with pytest.raises(CommandError, match="keeper"):
        call_command("seal_keys", "unit", office.unit.code)
