"""Acts on issued papers: take a letter number, issue a document, sign it electronically.

Every paper the office issues goes through ``document_issue``: the number comes from the
office's Buku Agenda Surat Keluar (the register kernel: gap-free per office and year, taken in
the caller's transaction), the PDF is rendered with that number and the verification code on
it, and the PDF and its SHA-256 are stored with the signer as printed on the day. If the
rendering fails, the transaction rolls back and the number is not used up.

Letter numbers: Permendagri 1/2023 on tata naskah dinas; the archive code is the kode
klasifikasi arsip of Permendagri 83/2022 (docs/papers.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loket.core import codes
from loket.core.errors import InvalidInput, WrongState
from loket.offices.models import Office
from loket.papers.models import Document, DocumentSignature, LetterTemplate, SigningCredential
from loket.registers.models import RegisterBook
from loket.registers.services import register_entry_add

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class SignerLike(Protocol):
    """What a paper needs of its signer (offices.signers.Signer): resolved for the day."""

    user: object
    name: str
    nip: str
    rank: str
    title_lines: list[str]


@dataclass(frozen=True)
class PrintedSigner:
    """The signer as a stored document printed it (Document's snapshot fields)."""

    name: str
    nip: str
    rank: str
    title_lines: list[str]


def printed_signer(document: Document) -> PrintedSigner:
    return PrintedSigner(
        name=document.signer_name, nip=document.signer_nip, rank=document.signer_rank,
        title_lines=[line for line in document.signer_title.split("\n") if line],
    )


def number_compose(*, office: Office, classification: str, number: int, on) -> str:
    """The nomor surat in the office's format, e.g. ``400.12.2.1/15/35.77.01/2026``.

    A service without a kode klasifikasi arsip leaves no empty segment behind: the separator
    that would stand before or after it goes too (docs/papers.md, "Nomor surat")."""
    fmt = office.number_format()
    values = {
        "klasifikasi": (classification or "").strip(), "nomor": str(number), "kode_unit": office.unit_code(),
        "tahun": str(on.year), "bulan_romawi": ROMAN_MONTHS[on.month - 1],
    }
    try:
        text = fmt.format_map(values)
    except (KeyError, ValueError, IndexError) as exc:  # a format the office model would have refused
        raise InvalidInput({"letter_number_format": [f"Format nomor surat kantor tidak dapat dipakai: {exc}."]}) from exc
    text = re.sub(r"([/.\-])\1+", r"\1", text)  # the separators around an empty field
    return text.strip("/.- ")


def verify_path(code: str) -> str:
    return reverse("verify_detail", args=[code])


def verify_url(code: str, *, public_base: str = "") -> str:
    """The address printed in the QR: the office's public address (LOKET_PUBLIC_URL, or the
    address of the request that issued the paper) and /verifikasi/<code>/."""
    base = (public_base or getattr(settings, "LOKET_PUBLIC_URL", "") or "").rstrip("/")
    return base + verify_path(code)


def _signer_title(signer: SignerLike | None) -> str:
    return "\n".join(signer.title_lines) if signer else ""


def _new_code() -> str:
    # 60 random bits (core.codes): a clash with any paper or dossier code is beyond unlikely,
    # and the unique index would refuse it (the transaction rolls back, nothing is half-saved).
    return codes.new_verification_code()


Render = Callable[..., bytes]


def document_issue(
    *,
    office: Office,
    kind: str,
    title: str,
    reference: str,
    actor,
    render: Render,
    signer: SignerLike | None = None,
    classification: str = "",
    addressee: str = "",
    subject: str = "",
    attachments: int = 0,
    template: str = "",
    number: str = "",
    at=None,
) -> Document:
    """Issue one numbered paper. ``render(number=, verification_code=, issued_at=)`` returns
    the PDF bytes with that number and code printed on it. Runs in the caller's transaction
    (the dossier's registration and its paper commit together) or opens its own.

    A letter takes its number from the Buku Agenda Surat Keluar. A paper numbered in a book of
    its own (a kuitansi in the Buku Kuitansi) passes that ``number`` and takes no agenda line."""
    if kind not in Document.Kind.values:
        raise InvalidInput({"kind": [f"Jenis naskah tidak dikenal: {kind}."]})
    if attachments < 0:
        raise InvalidInput({"attachments": ["Jumlah lampiran tidak boleh negatif."]})
    with transaction.atomic():
        now = at or timezone.now()
        on = timezone.localtime(now)
        if number:
            entry = None
        else:
            entry = register_entry_add(
                office_id=office.pk, kind=RegisterBook.Kind.SURAT_KELUAR, actor=actor, at=now,
                subject=(subject or title)[:400], name=addressee[:200], reference=reference[:40],
                signer=" ".join(_signer_title(signer).split("\n") + ([signer.name] if signer else []))[:200],
            )
            number = number_compose(office=office, classification=classification, number=entry.number, on=on)
        code = _new_code()
        pdf = render(number=number, verification_code=code, issued_at=now)
        document = Document(
            office=office, kind=kind, template=template, title=title[:250], reference=reference[:40], number=number,
            agenda_entry=entry, classification=classification, addressee=addressee[:300], subject=subject[:300],
            attachments=attachments, issued_at=now, issued_by=actor,
            signer=getattr(signer, "user", None) if signer else None, signer_title=_signer_title(signer)[:250],
            signer_name=(signer.name if signer else "")[:200], signer_rank=(signer.rank if signer else "")[:120],
            signer_nip=(signer.nip if signer else "")[:30], verification_code=code, sha256=hashlib.sha256(pdf).hexdigest(),
        )
        document.pdf.save(f"{kind}-{code}.pdf", ContentFile(pdf), save=False)
        try:
            document.save()
        except Exception:
            document.pdf.delete(save=False)  # no orphan file for a row that was never written
            raise
        return document


def document_pdf(document: Document) -> bytes:
    """The PDF as it left the office: the signed one if it was signed, else the original."""
    signature = document.signatures.order_by("-signed_at", "-id").first()
    field = signature.pdf if signature else document.pdf
    with field.open("rb") as fh:
        return fh.read()


def _credential_of(user) -> SigningCredential:
    credential = SigningCredential.objects.filter(user=user, active=True).order_by("-imported_at").first()
    if credential is None:
        raise InvalidInput({"passphrase": [
            "Anda belum punya sertifikat elektronik di Loket. Administrator mengimpornya dengan "
            "'loket signing import BERKAS.p12 --user NAMA_PENGGUNA'."
        ]})
    now = timezone.now()
    if not (credential.not_before <= now <= credential.not_after):
        raise InvalidInput({"passphrase": ["Sertifikat elektronik Anda tidak berlaku pada hari ini."]})
    return credential


def remote_signer():
    """The remote signing service of settings.LOKET_SIGNING_REMOTE_URL, or None."""
    from loket.papers.remote_signing import HttpRemoteSigner

    base = getattr(settings, "LOKET_SIGNING_REMOTE_URL", "")
    if not base:
        return None
    user = getattr(settings, "LOKET_SIGNING_REMOTE_USER", "")
    auth = (user, getattr(settings, "LOKET_SIGNING_REMOTE_PASSWORD", "")) if user else None
    return HttpRemoteSigner(base, auth=auth)


def _signed_by_certificate(pdf: bytes) -> tuple[str, str]:
    """The subject and serial of the certificate that made the last signature of ``pdf``."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        cert = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[-1].signer_cert
    except Exception:  # the service answered with a PDF pyHanko cannot read a signature from
        return "", ""
    return cert.subject.human_friendly, format(cert.serial_number, "x")


def document_sign_remote(*, document_id: int, actor, nik: str, passphrase: str) -> DocumentSignature:
    """Sign an issued document through the remote signing service (a TTE server that holds the
    signer's certificate and signs for their NIK and passphrase, as BSrE's does). Only the
    printed signer; once; the NIK and passphrase go to the service and nowhere else."""
    signer_service = remote_signer()
    if signer_service is None:
        raise InvalidInput({"nik": ["Layanan tanda tangan elektronik jarak jauh belum diatur di kantor ini."]})
    errors: dict[str, list[str]] = {}
    nik = "".join(ch for ch in (nik or "") if ch.isdigit())
    if len(nik) != 16:
        errors["nik"] = ["NIK penanda tangan harus 16 angka."]
    if not passphrase:
        errors["passphrase"] = ["Masukkan passphrase tanda tangan elektronik Anda."]
    if errors:
        raise InvalidInput(errors)
    from loket.papers.remote_signing import RemoteSigningError

    with transaction.atomic():
        document = _to_sign(document_id, actor)
        with document.pdf.open("rb") as fh:
            original = fh.read()
        try:
            signed = signer_service.sign_pdf(pdf=original, nik=nik, passphrase=passphrase,
                                             reason=f"{document.title} nomor {document.number}"[:200])
        except RemoteSigningError as exc:
            raise InvalidInput({"passphrase": [exc.message]}) from None
        subject, serial = _signed_by_certificate(signed)
        return _signature_save(document, actor=actor, signed=signed, method=DocumentSignature.Method.REMOTE,
                               subject=subject, serial=serial, demo="DEMO" in subject)


def _is_printed_signer(document: Document, actor) -> bool:
    """People, not roles, sign: the account printed as the paper's signer, and nobody else."""
    return document.signer_id is not None and document.signer_id == getattr(actor, "pk", None)


def may_sign(*, document: Document, actor) -> bool:
    """Whether ``actor`` may sign this paper electronically now (the page offers the form only then)."""
    return _is_printed_signer(document, actor) and not document.signatures.exists()


def may_manage_templates(*, actor, office: Office) -> bool:
    """The office's Admin keeps its letter templates."""
    from loket.offices.roles import Role, has_role

    return has_role(actor, Role.ADMIN) and getattr(getattr(actor, "staff", None), "office_id", None) == office.pk


def _to_sign(document_id: int, actor) -> Document:
    """The document, locked, if ``actor`` is its printed signer and it is not signed yet."""
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None:
        raise InvalidInput({"document": ["Naskah tidak ditemukan."]})
    if not _is_printed_signer(document, actor):
        raise PermissionDenied("Tanda tangan elektronik naskah ini hanya untuk pejabat penanda tangannya.")
    if document.signatures.exists():
        raise WrongState(f"Naskah {document.number} sudah ditandatangani secara elektronik.")
    return document


def _signature_save(document: Document, *, actor, signed: bytes, method: str, subject: str, serial: str,
                    demo: bool) -> DocumentSignature:
    row = DocumentSignature(
        document=document, signed_at=timezone.now(), signed_by=actor, method=method,
        certificate_subject=subject[:400], certificate_serial=serial[:80], demo=demo,
        sha256=hashlib.sha256(signed).hexdigest(),
    )
    row.pdf.save(f"{document.kind}-{document.verification_code}-ttd.pdf", ContentFile(signed), save=False)
    try:
        row.save()
    except Exception:
        row.pdf.delete(save=False)
        raise
    return row


def document_sign(*, document_id: int, actor, passphrase: str) -> DocumentSignature:
    """Sign an issued document electronically (PAdES) with the signer's own certificate.

    Only the official printed as the signer signs (people, not roles, sign); a document is
    signed once. The passphrase opens the signer's PKCS#12 for this one signature and is
    never stored or logged. UU 11/2008 jo. UU 1/2024 Pasal 11; PP 71/2019 (docs/signing.md)."""
    from loket.papers import signing

    if not passphrase:
        raise InvalidInput({"passphrase": ["Masukkan passphrase sertifikat Anda."]})
    with transaction.atomic():
        document = _to_sign(document_id, actor)
        credential = _credential_of(actor)
        with document.pdf.open("rb") as fh:
            original = fh.read()
        signed = signing.pdf_sign(
            pdf=original, credential=credential, passphrase=passphrase,
            reason=f"{document.title} nomor {document.number}"[:200], location=document.office.name,
        )
        return _signature_save(document, actor=actor, signed=signed, method=DocumentSignature.Method.LOCAL,
                               subject=credential.subject, serial=credential.serial, demo=credential.demo)


def letter_template_upload(*, office: Office, actor, code: str, title: str, docx: bytes,
                           service_code: str = "") -> LetterTemplate:
    """The office's own Word template for a letter (papers.letters; docs/letters.md): checked
    against the safe fields first (an unknown field is refused with its name, nothing saved),
    then stored as the active one of its code; the previous one is retired, not deleted."""
    from django.utils.text import slugify

    from loket.papers import letters

    if not may_manage_templates(actor=actor, office=office):
        raise PermissionDenied("Templat surat dikelola oleh Admin kantor.")
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if not code or slugify(code) != code or len(code) > 60:
        errors["code"] = ["Kode templat: huruf kecil, angka dan tanda hubung, mis. rekomendasi-keramaian."]
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors["title"] = ["Judul surat wajib diisi (paling banyak 200 huruf)."]
    service_code = (service_code or "").strip()
    if not service_code and code not in letters.BUNDLED:
        errors["service_code"] = ["Pilih layanan yang menghasilkan surat ini (templat baru, bukan pengganti templat bawaan)."]
    if not docx:
        errors["docx"] = ["Pilih berkas Word (.docx)."]
    elif len(docx) > letters.MAX_TEMPLATE_BYTES:
        errors["docx"] = ["Berkas templat terlalu besar (lebih dari 5 MB)."]
    if errors:
        raise InvalidInput(errors)
    used = letters.template_check(docx)  # LetterTemplateError (InvalidInput) names the field
    with transaction.atomic():
        LetterTemplate.objects.filter(office=office, code=code, active=True).update(active=False)
        row = LetterTemplate(office=office, code=code, title=title, service_code=service_code, fields=sorted(used),
                             uploaded_at=timezone.now(), uploaded_by=actor, active=True)
        row.docx.save(f"{timezone.now():%Y%m%d%H%M%S}.docx", ContentFile(docx), save=False)
        row.save()
        return row
