"""Electronic signatures on issued documents: signers' certificates, PAdES signing, validation.

A signer's certificate comes as a PKCS#12 file (from BSrE/another PSrE, or the demo CA in
``democa.py``). Loket keeps the file exactly as imported, still encrypted under the signer's
own passphrase, and never stores the passphrase: the signer types it at every signature, so
the signature data stays "in the signer's power" (UU 11/2008 jo. UU 1/2024 Pasal 11 ayat (1)
huruf b; PP 71/2019 Pasal 59 ayat (3)). The signature is PAdES (ETSI EN 319 142) made by pyHanko;
anyone can check it with pyHanko, Adobe Reader or Loket's verification page (docs/signing.md).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12 as pkcs12_module
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction

from loket.core.errors import InvalidInput
from loket.papers import democa
from loket.papers.models import SigningCredential

log = logging.getLogger(__name__)

BAD_PKCS12 = ("Berkas sertifikat tidak dapat dibuka: passphrase salah, atau berkas bukan PKCS#12 "
              "(.p12/.pfx) yang berisi kunci privat dan sertifikat.")
NO_KEY = "Berkas PKCS#12 tidak memuat kunci privat dan sertifikat penanda tangan."
KEY_MISMATCH = "Kunci privat dalam berkas PKCS#12 tidak cocok dengan sertifikatnya."
NO_PASSPHRASE = "Passphrase wajib diisi."
UNENCRYPTED = ("Berkas PKCS#12 ini tidak dilindungi passphrase; kunci privat tidak boleh disimpan "
               "tanpa perlindungan. Ekspor ulang dengan passphrase.")


@dataclass(frozen=True)
class Pkcs12Contents:
    key: object
    certificate: x509.Certificate
    chain: list[x509.Certificate]


def pkcs12_open(data: bytes, passphrase: str) -> Pkcs12Contents:
    """Open a PKCS#12 file. Wrong passphrase or not a PKCS#12 -> InvalidInput (Indonesian)."""
    try:
        key, cert, chain = pkcs12_module.load_key_and_certificates(bytes(data), (passphrase or "").encode() or None)
    except (ValueError, TypeError):
        raise InvalidInput({"pkcs12": [BAD_PKCS12]}) from None
    if key is None or cert is None:
        raise InvalidInput({"pkcs12": [NO_KEY]})
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*fmt) != cert.public_key().public_bytes(*fmt):
        raise InvalidInput({"pkcs12": [KEY_MISMATCH]})
    return Pkcs12Contents(key=key, certificate=cert, chain=list(chain or []))


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def certificate_is_demo(cert: x509.Certificate) -> bool:
    """True when the subject carries the demo CA's label (O or OU)."""
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME) + \
        cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return any(democa.DEMO_LABEL in str(attr.value) for attr in names)


def credential_import(*, user, pkcs12: bytes, passphrase: str) -> SigningCredential:
    """Import a signer's PKCS#12 as their active credential; the previous one is retired.

    The passphrase only proves the file opens (and that key and certificate belong together);
    it is not stored. Refusals raise InvalidInput and save nothing."""
    if not passphrase:
        raise InvalidInput({"passphrase": [NO_PASSPHRASE]})
    try:  # a file that opens without a passphrase would keep the key unprotected at rest
        pkcs12_module.load_key_and_certificates(bytes(pkcs12), None)
    except (ValueError, TypeError):
        pass
    else:
        raise InvalidInput({"pkcs12": [UNENCRYPTED]})
    contents = pkcs12_open(pkcs12, passphrase)
    cert = contents.certificate
    now = dt.datetime.now(dt.timezone.utc)
    if cert.not_valid_after_utc < now:
        raise InvalidInput({"pkcs12": [
            f"Sertifikat sudah kedaluwarsa sejak {cert.not_valid_after_utc:%d-%m-%Y}."]})
    with transaction.atomic():
        SigningCredential.objects.select_for_update().filter(user=user, active=True).update(active=False)
        return SigningCredential.objects.create(
            user=user,
            pkcs12=bytes(pkcs12),
            certificate_pem=_pem(cert),
            chain_pem="".join(_pem(c) for c in contents.chain),
            subject=cert.subject.rfc4514_string()[:400],
            serial=format(cert.serial_number, "X")[:80],
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            demo=certificate_is_demo(cert),
            active=True,
        )


def pdf_sign(*, pdf: bytes, credential: SigningCredential, passphrase: str, reason: str, location: str,
             field_name: str = "Loket") -> bytes:
    """Sign ``pdf`` with the credential (PAdES baseline, SHA-256, chain embedded); returns the
    signed PDF (the original plus one incremental update). Wrong passphrase -> InvalidInput."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    if not credential.active:
        raise InvalidInput({"credential": ["Sertifikat ini sudah tidak aktif; gunakan sertifikat yang terbaru."]})
    pkcs12_open(credential.pkcs12, passphrase)  # the same clear refusal as at import
    chain = list(load_certs_from_pemder_data(credential.chain_pem.encode())) if credential.chain_pem else []
    signer = signers.SimpleSigner.load_pkcs12_data(
        bytes(credential.pkcs12), other_certs=chain, passphrase=passphrase.encode())
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    except Exception:
        raise InvalidInput({"pdf": ["Berkas PDF tidak dapat dibaca."]}) from None
    out = _sync(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class ValidationResult:
    """What a reader of a signed PDF wants to know; ``message`` says it in Indonesian."""

    signed: bool
    intact: bool
    trusted: bool
    signer_subject: str
    signed_at: dt.datetime | None
    covers_whole_document: bool
    message: str


def _roots(pems: list[str]):
    from pyhanko.keys import load_certs_from_pemder_data

    roots = []
    for pem in pems:
        roots.extend(load_certs_from_pemder_data(pem.encode()))
    return roots


def _sync(fn, *args, **kwargs):
    """Call one of pyHanko's synchronous functions, which run their own asyncio loop: from a
    thread that already runs a loop (an ASGI worker, a test driving a browser) asyncio refuses
    that, so the call then goes to a short-lived worker thread."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def pdf_validate(*, pdf: bytes, trust_roots_pem: list[str]) -> ValidationResult:
    """Check the last signature of ``pdf``: is it intact, is the signer's certificate chained to
    one of ``trust_roots_pem``, does it cover the whole file. Offline: nothing is fetched."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import ValidationContext, validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    def result(*, signed=True, intact=False, trusted=False, subject="", at=None, whole=False, message):
        return ValidationResult(signed=signed, intact=intact, trusted=trusted, signer_subject=subject,
                                signed_at=at, covers_whole_document=whole, message=message)

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return result(signed=False, message="Berkas bukan PDF yang dapat dibaca.")
    if not signatures:
        return result(signed=False, message="Dokumen ini tidak memuat tanda tangan elektronik.")
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=_roots(trust_roots_pem), allow_fetching=False)
    try:
        status = _sync(validate_pdf_signature, embedded, context)
    except Exception:
        log.info("signature validation failed", exc_info=True)
        return result(message="Tanda tangan rusak atau dokumen telah diubah: tanda tangan tidak dapat diperiksa.")
    subject = status.signing_cert.subject.human_friendly if status.signing_cert is not None else ""
    at = status.signer_reported_dt
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    if not intact:
        message = "Dokumen telah berubah setelah ditandatangani: tanda tangan TIDAK berlaku."
    elif not trusted:
        message = ("Isi dokumen utuh, tetapi sertifikat penanda tangan tidak diterbitkan oleh penyelenggara "
                   "sertifikasi elektronik yang dipercaya.")
    elif not whole:
        message = ("Tanda tangan sah, tetapi ada perubahan yang ditambahkan pada berkas setelah "
                   "penandatanganan.")
    else:
        message = f"Tanda tangan sah: dokumen utuh sejak ditandatangani oleh {subject}."
    return result(intact=intact, trusted=trusted, subject=subject, at=at, whole=whole, message=message)


def trust_roots() -> list[str]:
    """The certificates (PEM) a signature must chain to: the files named in
    ``LOKET_SIGNING_TRUST_ROOTS`` (e.g. the BSrE root) plus the demo CA when this install has one."""
    pems = []
    for path in getattr(settings, "LOKET_SIGNING_TRUST_ROOTS", []):
        try:
            pems.append(Path(path).read_text())
        except OSError:
            log.warning("trust root %s cannot be read; skipped", path)
    demo = democa.ca_certificate_pem()
    if demo:
        pems.append(demo)
    return pems
