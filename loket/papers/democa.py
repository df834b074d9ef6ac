"""A demo certificate authority, for trying electronic signatures without a real certificate.

A real signature needs a certificate from a recognised Indonesian certification provider
(PSrE, e.g. BSrE of BSSN; PP 71/2019 Pasal 60 ayat (3)). To try the flow before the office has
one, ``loket signing democa`` makes a local CA and ``loket signing demo`` issues a signer a
certificate from it. Both certificates carry ``DEMO_LABEL`` in their subject, so every viewer
that shows the signer (Adobe, pyHanko, Loket's verification page) shows the label too, and
``credential_import`` marks such a credential ``demo``. Such a signature is *not* a certified
electronic signature (docs/signing.md).

EC P-256 keys: small and fast to make (the tests issue several).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from loket.core.errors import InvalidInput

DEMO_LABEL = "DEMO — bukan sertifikat resmi"
CA_NAME = "Loket Demo CA"
CA_YEARS = 10
LEAF_DAYS = 365


def ca_dir() -> Path:
    return Path(settings.DATA_DIR) / "signing"


def ca_cert_path() -> Path:
    return ca_dir() / "demo-ca.pem"


def ca_key_path() -> Path:
    return ca_dir() / "demo-ca.key"


def ca_exists() -> bool:
    return ca_cert_path().is_file() and ca_key_path().is_file()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _write_private(path: Path, data: bytes) -> None:
    # Created 0600 from the start: the key is never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


def ca_ensure() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """Load the demo CA from ``DATA_DIR/signing``, creating it on first use (key file mode 0600)."""
    if ca_exists():
        key = serialization.load_pem_private_key(ca_key_path().read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate(ca_cert_path().read_bytes())
        return key, cert
    ca_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_LABEL),
        x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
    ])
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(ca_key_path(), key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    ca_cert_path().write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def ca_certificate_pem() -> str | None:
    """The demo CA's certificate (PEM) when one was made on this install, else None."""
    return ca_cert_path().read_text() if ca_cert_path().is_file() else None


def demo_pkcs12(*, name: str, nip: str, passphrase: str) -> bytes:
    """Issue a demo signer certificate (digitalSignature + nonRepudiation) and return it as a
    PKCS#12 file with the CA in its chain, encrypted under ``passphrase``."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"name": ["Nama penanda tangan wajib diisi."]})
    if not passphrase:
        raise InvalidInput({"passphrase": ["Passphrase wajib diisi."]})
    ca_key, ca_cert = ca_ensure()
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_LABEL),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ]
    if nip:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, nip.strip()))
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs)).issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + dt.timedelta(days=LEAF_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=name.encode(), key=key, cert=cert, cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
