"""The product of each service, as an issued Document.

- Services whose product the signed standard words as "… yang telah dilegalisasi" (services
  1–14 of the Kartoharjo 2018 edition) get a legalisation endorsement when the signed dossier
  is registered (``legalisation_issue``, called by dossiers.services.dossier_register).
- Letters the office writes (services 10, 11, 15, 16) are issued from templates
  (``papers.letters``).

Which service is legalised is read from the edition's own wording of komponen 6 (produk
layanan), not from its number, so another office's standard with another order works too.
"""

from __future__ import annotations

from loket.papers import legalisation
from loket.papers.models import Document
from loket.papers.services import document_issue, printed_signer, verify_url


def needs_legalisation(service) -> bool:
    """Komponen 6 says the product is the applicant's document "yang telah dilegalisasi"."""
    return "dilegalisa" in (service.product or "").lower()


def dossier_signer(dossier):
    """The official who signed the dossier, as printed on the day: the Camat, or the Sekcam
    "a.n. Camat", or an acting official (offices.signers)."""
    from django.utils import timezone

    from loket.offices.signers import signer_for

    post = "sekcam" if dossier.signer_capacity == "an_camat" else "camat"
    on = timezone.localdate(dossier.signed_at) if getattr(dossier, "signed_at", None) else timezone.localdate()
    return signer_for(office=dossier.office, post=post, on=on, user=dossier.signed_by)


def endorsement_of(document: Document, *, public_base: str = "", electronic: bool | None = None,
                   demo: bool | None = None) -> legalisation.Endorsement:
    """The endorsement block of a stored legalisation, for its reprint on another paper."""
    s = printed_signer(document)
    signature = document.signatures.order_by("-signed_at", "-id").first() if document.pk else None
    return legalisation.Endorsement(
        office_name=document.office.name, title_lines=s.title_lines, signer_name=s.name, signer_rank=s.rank,
        signer_nip=s.nip, number=document.number, issued_on=document.issued_at, service=document.subject,
        verification_code=document.verification_code,
        verify_url=verify_url(document.verification_code, public_base=public_base),
        electronic=bool(signature) if electronic is None else electronic,
        demo=bool(signature and signature.demo) if demo is None else demo,
    )


def legalisation_issue(*, dossier, actor, public_base: str = "", at=None, paper: str = "A4",
                       position: str = "pojok") -> Document:
    """Issue the legalisation of a signed dossier: a number in the Buku Agenda Surat Keluar
    (with the service's kode klasifikasi arsip), the endorsement PDF, stored with its SHA-256.
    Runs inside dossier_register's transaction."""
    signer = dossier_signer(dossier)
    service = dossier.service
    office = dossier.office

    def render(*, number, verification_code, issued_at):
        return legalisation.legalisation_pdf(legalisation.Endorsement(
            office_name=office.name, title_lines=list(signer.title_lines), signer_name=signer.name,
            signer_rank=signer.rank, signer_nip=signer.nip, number=number, issued_on=issued_at,
            service=service.name, verification_code=verification_code,
            verify_url=verify_url(verification_code, public_base=public_base),
        ), paper=paper, position=position)

    return document_issue(
        office=office, kind=Document.Kind.LEGALISATION, title=f"Legalisasi {service.short_name}",
        reference=dossier.code, actor=actor, render=render, signer=signer,
        classification=getattr(service, "archive_code", "") or "", addressee=dossier.applicant_name,
        subject=service.name, at=at,
    )
