"""Signing an issued paper through a remote TTE server (papers.services.document_sign_remote),
against a local stand-in for a BSrE-style server that holds the signer's (demo) certificate and
signs for their NIK and passphrase: the signed PDF is stored with the certificate it carries;
a wrong passphrase is the server's refusal, shown in Indonesian, and nothing is signed."""

from __future__ import annotations

import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse

from loket.core.errors import InvalidInput
from loket.papers import democa, services, signing
from loket.papers.models import DocumentSignature, SigningCredential
from tests.papers.test_document_sign import _real_pdf
from tests.papers.test_issue import FakeSigner, issue

NIK = "3577010101700001"
PASS = "tte-rahasia"


class TteServer(BaseHTTPRequestHandler):
    """POST /api/sign/pdf (file, nik, passphrase): the signed PDF, or 400 with a JSON error."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        fields = {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
                  for part in message.iter_parts()}
        if self.path != "/api/sign/pdf" or fields.get("nik") != NIK.encode() or fields.get("passphrase") != PASS.encode():
            payload, status, ctype = b'{"error": "Passphrase anda salah"}', 400, "application/json"
        else:
            payload = signing.pdf_sign(pdf=fields["file"], credential=self.server.credential, passphrase=PASS,
                                       reason="TTE", location="BSrE")
            status, ctype = 200, "application/pdf"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture(scope="module")
def tte(tmp_path_factory):
    with override_settings(DATA_DIR=tmp_path_factory.mktemp("tte")):
        p12 = democa.demo_pkcs12(name="Camat Remote", nip="196801011990031005", passphrase=PASS)
        ca = democa.ca_certificate_pem()
    opened = signing.pkcs12_open(p12, PASS)
    from cryptography.hazmat.primitives.serialization import Encoding

    credential = SigningCredential(pkcs12=p12, active=True, chain_pem="".join(
        c.public_bytes(Encoding.PEM).decode() for c in opened.chain))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), TteServer)
    httpd.credential = credential
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", ca
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def remote(settings, tte):
    settings.LOKET_SIGNING_REMOTE_URL = tte[0]
    return tte


def test_the_printed_signer_signs_through_the_tte_server(office, people, remote):
    doc = issue(office, people["front"], signer=FakeSigner(user=people["camat"]), render=_real_pdf)
    row = services.document_sign_remote(document_id=doc.pk, actor=people["camat"], nik=NIK, passphrase=PASS)
    assert row.method == "remote" and "Camat Remote" in row.certificate_subject and row.demo
    signed = row.pdf.open("rb").read()
    result = signing.pdf_validate(pdf=signed, trust_roots_pem=[remote[1]])
    assert result.intact and result.trusted


def test_a_refusal_of_the_server_is_shown_and_nothing_is_signed(office, people, remote):
    doc = issue(office, people["front"], signer=FakeSigner(user=people["camat"]), render=_real_pdf)
    with pytest.raises(InvalidInput, match="Passphrase anda salah|NIK atau passphrase salah"):
        services.document_sign_remote(document_id=doc.pk, actor=people["camat"], nik=NIK, passphrase="salah")
    with pytest.raises(InvalidInput, match="16 angka"):
        services.document_sign_remote(document_id=doc.pk, actor=people["camat"], nik="123", passphrase=PASS)
    assert not DocumentSignature.objects.exists()


def test_without_a_configured_service_it_says_so(office, people, settings):
    settings.LOKET_SIGNING_REMOTE_URL = ""
    doc = issue(office, people["front"], signer=FakeSigner(user=people["camat"]), render=_real_pdf)
    with pytest.raises(InvalidInput, match="belum diatur"):
        services.document_sign_remote(document_id=doc.pk, actor=people["camat"], nik=NIK, passphrase=PASS)


def test_the_page_offers_the_tte_form_and_signs(client, office, people, remote):
    doc = issue(office, people["front"], signer=FakeSigner(user=people["camat"]), render=_real_pdf)
    client.force_login(people["camat"])
    page = client.get(reverse("papers:document", args=[doc.pk])).content.decode()
    assert 'name="nik"' in page and 'value="remote"' in page
    client.post(reverse("papers:sign", args=[doc.pk]), {"cara": "remote", "nik": NIK, "passphrase": PASS})
    assert DocumentSignature.objects.get().method == "remote"
