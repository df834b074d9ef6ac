"""Reads of issued papers: a case's documents, the public verification, the upload check, the
Buku Agenda Surat Keluar."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from loket.core import codes
from loket.offices.models import Office, nip_text
from loket.papers.models import Document, DocumentSignature
from loket.registers.models import RegisterBook, RegisterEntry


def documents_of(*, office_id: int, reference: str) -> QuerySet[Document]:
    """The papers issued for one case (kode berkas, kode sewa, kode akta), oldest first, each
    with ``signed`` (has an electronic signature)."""
    return (
        Document.objects.filter(office_id=office_id, reference=reference)
        .annotate(signed=Exists(DocumentSignature.objects.filter(document=OuterRef("pk"))))
        .order_by("issued_at", "id")
    )


def document_by_code(code: str) -> Document | None:
    return (
        Document.objects.select_related("office")
        .filter(verification_code=codes.normalise(code)).first()
    )


def document_public(document: Document) -> dict:
    """What a stranger holding the paper may see: the paper's own printed facts (number, date,
    office, signer as printed, which officials' names and NIPs are public on every letter),
    its SHA-256 and whether it was signed electronically. No personal data of the applicant."""
    signature = document.signatures.order_by("-signed_at", "-id").first()
    return {
        "office": document.office.name,
        "title": document.title,
        "kind": document.get_kind_display(),
        "number": document.number,
        "issued_at": document.issued_at,
        "signer_title": document.signer_title.replace("\n", " "),
        "signer_name": document.signer_name,
        "signer_nip": nip_text(document.signer_nip),
        "sha256": document.sha256,
        "signed": signature is not None,
        "signed_at": signature.signed_at if signature else None,
        "signed_sha256": signature.sha256 if signature else "",
        "certificate_subject": signature.certificate_subject if signature else "",
        "demo": bool(signature and signature.demo),
    }


def document_upload_check(document: Document, data: bytes) -> str:
    """Whether an uploaded PDF is the issued paper: ``"asli"`` (byte for byte the PDF as
    issued), ``"asli_ttd"`` (the electronically signed PDF as issued), or ``"beda"``."""
    digest = hashlib.sha256(data).hexdigest()
    if digest == document.sha256:
        return "asli"
    if document.signatures.filter(sha256=digest).exists():
        return "asli_ttd"
    return "beda"


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def agenda_entries(*, office: Office, year: int | None = None, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> QuerySet[RegisterEntry]:
    """The lines of the office's Buku Agenda Surat Keluar, with their document (number, kind,
    attachments, signed), newest year first, then by agenda number."""
    qs = (
        RegisterEntry.objects.filter(book__office=office, book__kind=RegisterBook.Kind.SURAT_KELUAR)
        .select_related("book", "document")
        .annotate(signed=Exists(DocumentSignature.objects.filter(document__agenda_entry=OuterRef("pk"))))
    )
    if year:
        qs = qs.filter(book__year=year)
    if date_from:
        qs = qs.filter(entered_at__gte=_midnight(date_from))
    if date_to:
        qs = qs.filter(entered_at__lt=_midnight(date_to + dt.timedelta(days=1)))
    return qs.order_by("-book__year", "number", "pk")
