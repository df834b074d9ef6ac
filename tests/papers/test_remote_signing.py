"""The HTTP client for BSrE-style remote signing servers (loket/papers/remote_signing.py),
against a small local server in a thread."""

import json
import logging
import socket
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from loket.papers.remote_signing import (
    REFUSED_AUTH, SERVER_ERROR, TIMEOUT, UNREACHABLE, HttpRemoteSigner, RemoteSigningError,
)

NIK = "3577014508900001"
SECRET = "rahasia-sekali"
PDF = b"%PDF-1.7\n% asli\n%%EOF\n"
SIGNED = b"%PDF-1.7\n% ditandatangani\n%%EOF\n"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[name] = part.get_payload(decode=True)
        server.seen.append({"path": self.path, "fields": fields, "auth": self.headers.get("Authorization")})
        status, ctype, payload, delay = server.answer
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the timeout test's client has gone
            pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def remote(server):
    server.seen = []
    server.answer = (200, "application/pdf", SIGNED, 0)
    return HttpRemoteSigner(f"http://127.0.0.1:{server.server_port}/", timeout=5, auth=("loket", "kunci-api"))


def sign(remote):
    return remote.sign_pdf(pdf=PDF, nik=NIK, passphrase=SECRET, reason="Pengesahan surat")


def test_success_returns_the_signed_pdf_and_sends_the_fields(server, remote):
    assert sign(remote) == SIGNED
    (request,) = server.seen
    assert request["path"] == "/api/sign/pdf"
    assert request["fields"] == {"file": PDF, "nik": NIK.encode(), "passphrase": SECRET.encode(),
                                 "tampilan": b"invisible", "reason": b"Pengesahan surat"}
    assert request["auth"].startswith("Basic ")


@pytest.mark.parametrize("status", [400, 401])
def test_json_error_body_becomes_the_message(server, remote, status):
    server.answer = (status, "application/json",
                     json.dumps({"status_code": 2031, "error": "Passphrase anda salah"}).encode(), 0)
    with pytest.raises(RemoteSigningError, match="Passphrase anda salah") as caught:
        sign(remote)
    assert caught.value.status == status


def test_refusal_without_a_body_has_a_plain_message(server, remote):
    server.answer = (401, "text/plain", b"", 0)
    with pytest.raises(RemoteSigningError) as caught:
        sign(remote)
    assert str(caught.value) == REFUSED_AUTH


def test_server_error(server, remote):
    server.answer = (500, "text/html", b"<h1>Internal Server Error</h1>", 0)
    with pytest.raises(RemoteSigningError) as caught:
        sign(remote)
    assert str(caught.value) == SERVER_ERROR and caught.value.status == 500


def test_timeout(server, remote):
    server.answer = (200, "application/pdf", SIGNED, 1.0)
    remote.timeout = 0.2
    with pytest.raises(RemoteSigningError) as caught:
        sign(remote)
    assert str(caught.value) == TIMEOUT


def test_connection_refused():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with pytest.raises(RemoteSigningError) as caught:
        sign(HttpRemoteSigner(f"http://127.0.0.1:{port}", timeout=2))
    assert str(caught.value) == UNREACHABLE


def test_an_answer_that_is_not_a_pdf_is_refused(server, remote):
    server.answer = (200, "application/json", b'{"ok": true}', 0)
    with pytest.raises(RemoteSigningError, match="tidak mengembalikan berkas PDF"):
        sign(remote)


def test_nik_and_passphrase_never_logged(server, remote, caplog):
    caplog.set_level(logging.DEBUG)
    for answer in [(401, "application/json", b'{"error": "x"}', 0), (500, "text/plain", b"", 0)]:
        server.answer = answer
        with pytest.raises(RemoteSigningError) as caught:
            sign(remote)
        assert NIK not in str(caught.value) and SECRET not in str(caught.value)
    assert caplog.records
    assert NIK not in caplog.text and SECRET not in caplog.text
