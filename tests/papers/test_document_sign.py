"""Signing an issued paper electronically (papers.services.document_sign) with the signer's
own (demo) certificate: only the printed signer signs, once, with the right passphrase; the
signed PDF validates against the chain, a tampered copy does not; the verification page says
it was signed, and says DEMO for a demo certificate."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from loket.core.errors import InvalidInput, WrongState
from loket.papers import democa, services, signing
from loket.papers.models import DocumentSignature
from tests.papers.test_issue import FakeSigner, issue

PASS = "rahasia-demo-123"


@pytest.fixture(scope="module")
def p12(data_dir):
    with override_settings(DATA_DIR=data_dir):
        return democa.demo_pkcs12(name="Drs. Budi Santoso", nip="190001011900011001", passphrase=PASS)


def _real_pdf(**_kw) -> bytes:
    from reportlab.pdfgen import canvas
    import io

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(100, 700, f"Surat nomor {_kw['number']}")
    c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.fixture
def document(office, people, p12):
    signing.credential_import(user=people["camat"], pkcs12=p12, passphrase=PASS)
    return issue(office, people["front"], signer=FakeSigner(user=people["camat"]), render=_real_pdf)


def test_the_signer_signs_and_the_signature_validates(document, people):
    row = services.document_sign(document_id=document.pk, actor=people["camat"], passphrase=PASS)
    assert row.demo and row.method == "lokal" and "DEMO" in row.certificate_subject
    signed = row.pdf.open("rb").read()
    assert hashlib.sha256(signed).hexdigest() == row.sha256 and row.sha256 != document.sha256
    result = signing.pdf_validate(pdf=signed, trust_roots_pem=signing.trust_roots())
    assert result.signed and result.intact and result.trusted and result.covers_whole_document
    tampered = signed[:300] + bytes([signed[300] ^ 0x01]) + signed[301:]  # one bit of the signed content
    bad = signing.pdf_validate(pdf=tampered, trust_roots_pem=signing.trust_roots())
    assert not (bad.intact and bad.trusted)
    assert services.document_pdf(document) == signed  # the paper as it left the office is now the signed one


def test_only_the_printed_signer_once_with_the_right_passphrase(document, people):
    with pytest.raises(PermissionDenied):
        services.document_sign(document_id=document.pk, actor=people["sekcam"], passphrase=PASS)
    with pytest.raises(InvalidInput):
        services.document_sign(document_id=document.pk, actor=people["camat"], passphrase="salah")
    with pytest.raises(InvalidInput, match="passphrase"):
        services.document_sign(document_id=document.pk, actor=people["camat"], passphrase="")
    assert not DocumentSignature.objects.exists()
    services.document_sign(document_id=document.pk, actor=people["camat"], passphrase=PASS)
    with pytest.raises(WrongState, match="sudah ditandatangani"):
        services.document_sign(document_id=document.pk, actor=people["camat"], passphrase=PASS)


def test_a_signer_without_a_certificate_is_told_how_to_get_one(office, people):
    doc = issue(office, people["front"], signer=FakeSigner(user=people["sekcam"]), render=_real_pdf)
    with pytest.raises(InvalidInput, match="loket signing import"):
        services.document_sign(document_id=doc.pk, actor=people["sekcam"], passphrase=PASS)


def test_the_screens_sign_and_verify(client, document, people):
    client.force_login(people["camat"])
    page = client.get(reverse("papers:document", args=[document.pk])).content.decode()
    assert 'name="passphrase"' in page
    wrong = client.post(reverse("papers:sign", args=[document.pk]), {"passphrase": "salah"}, follow=True)
    assert "passphrase" in wrong.content.decode().lower() and not DocumentSignature.objects.exists()
    client.post(reverse("papers:sign", args=[document.pk]), {"passphrase": PASS})
    row = DocumentSignature.objects.get()
    client.logout()
    url = reverse("verify_detail", args=[document.verification_code])
    public = client.get(url).content.decode()
    assert "DEMO — bukan sertifikat resmi" in public and row.sha256 in public
    signed = row.pdf.open("rb").read()
    ok = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", signed, "application/pdf")}).content.decode()
    assert "bertanda tangan elektronik yang diterbitkan" in ok
    bad = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", signed[:-10] + b"0000000000", "application/pdf")})
    assert "TIDAK sama" in bad.content.decode()
