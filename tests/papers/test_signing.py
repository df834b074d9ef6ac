"""Signers' credentials, PAdES signatures and their validation (loket/papers/signing.py, democa.py)."""

import io
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError
from reportlab.pdfgen import canvas

from loket.core.errors import InvalidInput
from loket.papers import democa, signing
from loket.papers.models import SigningCredential

PASS = "kunci rahasia 123"


@pytest.fixture(scope="module")
def p12(data_dir):
    from django.test import override_settings

    with override_settings(DATA_DIR=data_dir):
        return democa.demo_pkcs12(name="Drs. Budi Santoso", nip="196801011990031001", passphrase=PASS)


@pytest.fixture
def signer(django_user_model):
    return django_user_model.objects.create_user(username="camat", first_name="Budi")


def make_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0)  # uncompressed, so a test can change one letter of the text
    c.drawString(72, 720, "Surat Keterangan Nomor 470/12/401.301/2026")
    c.save()
    return buf.getvalue()


def test_demo_ca_key_is_private_and_labelled(data_dir):
    key, cert = democa.ca_ensure()
    assert oct(os.stat(democa.ca_key_path()).st_mode & 0o777) == "0o600"
    orgs = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    assert democa.DEMO_LABEL in orgs
    assert democa.ca_ensure()[1] == cert  # loaded, not made again


def test_demo_leaf_carries_label_and_signing_key_usage(p12):
    _, cert, chain = pkcs12.load_key_and_certificates(p12, PASS.encode())
    assert democa.DEMO_LABEL in cert.subject.rfc4514_string()
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert [c.subject for c in chain] == [democa.ca_ensure()[1].subject]


@pytest.mark.django_db
def test_import_stores_the_file_as_given_and_never_the_passphrase(signer, p12):
    credential = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    credential.refresh_from_db()
    assert bytes(credential.pkcs12) == p12
    assert credential.demo and credential.active
    assert "Budi Santoso" in credential.subject and democa.DEMO_LABEL in credential.subject
    assert "BEGIN CERTIFICATE" in credential.certificate_pem and "BEGIN CERTIFICATE" in credential.chain_pem
    stored = " ".join(str(v) for v in SigningCredential.objects.values_list().get())
    assert PASS not in stored and PASS.encode() not in bytes(credential.pkcs12)


@pytest.mark.django_db
def test_import_retires_the_previous_credential(signer, p12):
    first = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    second = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    first.refresh_from_db()
    assert not first.active and second.active


@pytest.mark.django_db
@pytest.mark.parametrize("data, passphrase", [("p12", "salah"), (b"bukan pkcs12", PASS)])
def test_wrong_passphrase_or_not_pkcs12_is_refused_and_nothing_saved(signer, p12, data, passphrase):
    previous = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    with pytest.raises(InvalidInput, match="passphrase salah"):
        signing.credential_import(user=signer, pkcs12=p12 if data == "p12" else data, passphrase=passphrase)
    assert list(SigningCredential.objects.all()) == [previous]
    previous.refresh_from_db()
    assert previous.active


@pytest.mark.django_db
def test_sign_then_validate_is_intact_and_trusted_against_the_demo_ca(signer, p12):
    credential = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    signed = signing.pdf_sign(pdf=make_pdf(), credential=credential, passphrase=PASS,
                              reason="Pengesahan", location="Madiun")
    result = signing.pdf_validate(pdf=signed, trust_roots_pem=signing.trust_roots())
    assert result.signed and result.intact and result.trusted and result.covers_whole_document
    assert "Budi Santoso" in result.signer_subject and democa.DEMO_LABEL in result.signer_subject
    assert result.signed_at is not None
    assert result.message.startswith("Tanda tangan sah")

    # PAdES: ETSI.CAdES.detached, and the chain travels in the file
    from pyhanko.pdf_utils.reader import PdfFileReader
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert len(sig.signed_data["certificates"]) == 2


@pytest.mark.django_db
def test_one_byte_changed_after_signing_is_not_intact(signer, p12):
    credential = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    signed = signing.pdf_sign(pdf=make_pdf(), credential=credential, passphrase=PASS, reason="r", location="l")
    at = signed.index(b"470/12/401.301/2026")
    forged = signed[:at] + b"9" + signed[at + 1:]
    result = signing.pdf_validate(pdf=forged, trust_roots_pem=signing.trust_roots())
    assert result.signed and not result.intact and not result.trusted
    assert "berubah" in result.message


@pytest.mark.django_db
def test_untrusted_root_is_not_trusted(signer, p12, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    credential = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    signed = signing.pdf_sign(pdf=make_pdf(), credential=credential, passphrase=PASS, reason="r", location="l")
    settings.DATA_DIR = tmp_path  # another install's demo CA: a root that did not issue this certificate
    _, stranger = democa.ca_ensure()
    result = signing.pdf_validate(pdf=signed, trust_roots_pem=[stranger.public_bytes(serialization.Encoding.PEM).decode()])
    assert result.intact and not result.trusted
    assert "tidak diterbitkan" in result.message


@pytest.mark.django_db
def test_an_update_appended_after_signing_is_shown(signer, p12):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject

    credential = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    signed = signing.pdf_sign(pdf=make_pdf(), credential=credential, passphrase=PASS, reason="r", location="l")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.root  # any change in a new revision
    info[NameObject("/Lang")] = TextStringObject("id-ID")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = signing.pdf_validate(pdf=out.getvalue(), trust_roots_pem=signing.trust_roots())
    assert result.signed and not result.covers_whole_document
    assert result.intact and result.message.startswith("Tanda tangan sah, tetapi ada perubahan")


@pytest.mark.django_db
def test_wrong_passphrase_at_signing_is_refused(signer, p12):
    credential = signing.credential_import(user=signer, pkcs12=p12, passphrase=PASS)
    with pytest.raises(InvalidInput, match="passphrase salah"):
        signing.pdf_sign(pdf=make_pdf(), credential=credential, passphrase="salah", reason="r", location="l")


def test_unsigned_pdf_is_reported_unsigned():
    result = signing.pdf_validate(pdf=make_pdf(), trust_roots_pem=[])
    assert not result.signed and "tidak memuat" in result.message


def test_trust_roots_read_the_setting_and_the_demo_ca(settings, tmp_path):
    root = tmp_path / "bsre-root.pem"
    root.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    settings.LOKET_SIGNING_TRUST_ROOTS = [str(root)]
    roots = signing.trust_roots()
    assert roots[0] == root.read_text() and roots[-1] == democa.ca_certificate_pem()


@pytest.mark.django_db
def test_command_demo_import_and_list(signer, tmp_path, capsys):
    secret = tmp_path / "pass.txt"
    secret.write_text(PASS + "\n")
    call_command("signing", "demo", "--user", "camat", "--passphrase-file", str(secret))
    credential = SigningCredential.objects.get(user=signer)
    assert credential.demo
    p12_file = tmp_path / "camat.p12"
    p12_file.write_bytes(bytes(credential.pkcs12))
    call_command("signing", "import", str(p12_file), "--user", "camat", "--passphrase-file", str(secret))
    call_command("signing", "list")
    out = capsys.readouterr().out
    assert PASS not in out and "DEMO" in out
    assert SigningCredential.objects.filter(user=signer, active=True).count() == 1
    secret.write_text("salah\n")
    with pytest.raises(CommandError, match="passphrase salah"):
        call_command("signing", "import", str(p12_file), "--user", "camat", "--passphrase-file", str(secret))
    assert SigningCredential.objects.filter(user=signer).count() == 2


@pytest.mark.django_db
def test_a_pkcs12_without_passphrase_is_refused(signer, p12):
    from cryptography.hazmat.primitives.serialization import NoEncryption

    key, cert, chain = pkcs12.load_key_and_certificates(p12, PASS.encode())
    bare = pkcs12.serialize_key_and_certificates(b"x", key, cert, chain, NoEncryption())
    with pytest.raises(InvalidInput, match="tidak dilindungi passphrase"):
        signing.credential_import(user=signer, pkcs12=bare, passphrase="apa saja")
    with pytest.raises(InvalidInput, match="wajib diisi"):
        signing.credential_import(user=signer, pkcs12=p12, passphrase="")
    assert not SigningCredential.objects.exists()
