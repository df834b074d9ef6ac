"""Remote electronic signatures: the signer's key stays with a TTE server (BSrE-style).

Offices whose signers hold a BSrE certificate usually sign through a signing server on the
government network (BSrE's "esign client service"): the application sends the PDF, the
signer's NIK and passphrase, and gets the signed PDF back. The contract Loket speaks is in
docs/signing.md. The NIK and the passphrase are personal/secret: they travel only in the
request body and are never logged nor put in an error message.

Plain ``urllib`` (standard library): one POST does not need another dependency.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from base64 import b64encode
from typing import Protocol

log = logging.getLogger(__name__)

UNREACHABLE = "Layanan tanda tangan elektronik tidak dapat dihubungi. Coba lagi nanti atau hubungi admin."
TIMEOUT = "Layanan tanda tangan elektronik tidak menjawab tepat waktu. Coba lagi nanti."
REFUSED_AUTH = "Penandatanganan ditolak: NIK atau passphrase salah, atau penanda tangan belum terdaftar."
REFUSED_CLIENT = "Aplikasi Loket tidak diizinkan memakai layanan tanda tangan elektronik (periksa akun API)."
SERVER_ERROR = "Layanan tanda tangan elektronik sedang bermasalah (galat server). Coba lagi nanti."
NOT_PDF = "Layanan tanda tangan elektronik tidak mengembalikan berkas PDF."


class RemoteSigningError(Exception):
    """The remote signer refused or failed; ``str(exc)`` is an Indonesian message for the signer."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class RemoteSigner(Protocol):
    def sign_pdf(self, *, pdf: bytes, nik: str, passphrase: str, reason: str) -> bytes: ...


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "loket" + secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode("utf-8") + b"\r\n")
    for name, (filename, data, ctype) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _server_message(body: bytes) -> str:
    """The error text a BSrE-style server puts in its JSON body ({"error": "..."} or
    {"message": "..."}), cut short; empty when there is none."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(data, dict):
        for key in ("error", "message", "pesan"):
            if isinstance(data.get(key), str) and data[key].strip():
                return data[key].strip()[:300]
    return ""


class HttpRemoteSigner:
    """POSTs the PDF to ``{base_url}/api/sign/pdf`` (multipart: file, nik, passphrase, tampilan,
    reason) and returns the signed PDF. ``auth`` is (username, password) for HTTP Basic, as the
    esign client service asks of the calling application."""

    def __init__(self, base_url: str, timeout: float = 60, auth: tuple[str, str] | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.auth = auth

    def sign_pdf(self, *, pdf: bytes, nik: str, passphrase: str, reason: str) -> bytes:
        body, ctype = _multipart(
            {"nik": nik, "passphrase": passphrase, "tampilan": "invisible", "reason": reason},
            {"file": ("dokumen.pdf", pdf, "application/pdf")},
        )
        request = urllib.request.Request(f"{self.base_url}/api/sign/pdf", data=body, method="POST",
                                         headers={"Content-Type": ctype, "Accept": "application/pdf"})
        if self.auth:
            token = b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            raise self._refusal(exc.code, exc.read()) from None
        except (TimeoutError, socket.timeout):
            log.warning("remote signer %s timed out", self.base_url)
            raise RemoteSigningError(TIMEOUT) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                log.warning("remote signer %s timed out", self.base_url)
                raise RemoteSigningError(TIMEOUT) from None
            log.warning("remote signer %s unreachable: %s", self.base_url, exc.reason)
            raise RemoteSigningError(UNREACHABLE) from None
        except OSError as exc:  # connection reset mid-answer and the like
            log.warning("remote signer %s failed: %s", self.base_url, exc.__class__.__name__)
            raise RemoteSigningError(UNREACHABLE) from None
        if not data.startswith(b"%PDF-"):
            raise RemoteSigningError(NOT_PDF)
        return data

    def _refusal(self, status: int, body: bytes) -> RemoteSigningError:
        detail = _server_message(body)
        log.warning("remote signer %s answered HTTP %s", self.base_url, status)  # never the NIK/passphrase
        if status in (400, 401, 422) and detail:
            return RemoteSigningError(f"Penandatanganan ditolak: {detail}", status=status)
        if status in (400, 401, 422):
            return RemoteSigningError(REFUSED_AUTH, status=status)
        if status == 403:
            return RemoteSigningError(REFUSED_CLIENT, status=status)
        if status >= 500:
            return RemoteSigningError(SERVER_ERROR, status=status)
        return RemoteSigningError(f"Layanan tanda tangan elektronik menolak permintaan (HTTP {status}).",
                                  status=status)
