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

import dataclasses

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
    signer = signer_for(office=dossier.office, post=post, on=timezone.localdate(), user=dossier.signed_by)
    if signer.user is None or signer.user.pk != dossier.signed_by_id:
        # The account that signed the dossier is the one that may sign its paper electronically.
        signer = dataclasses.replace(signer, user=dossier.signed_by)
    return signer


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


# --- letters the office writes (services 10, 11, 15, 16) ----------------------------------------

# Filled by Loket from the dossier, the office, the signer and the agenda; the clerk types the rest.
AUTO_FIELDS = frozenset({
    "nomor", "tanggal", "tempat", "klasifikasi", "kode_berkas", "pemohon_nama", "pemohon_nik",
    "pemohon_jenis_kelamin", "pemohon_alamat", "kantor_nama", "kantor_alamat", "kota",
    "penanda_tangan_jabatan", "penanda_tangan_nama", "penanda_tangan_pangkat", "penanda_tangan_nip",
})
# pemohon_ttl: the dossier knows the birth date, not the place; left empty, the date alone is printed
OPTIONAL_FIELDS = frozenset({"lampiran", "keterangan", "surat_dasar", "hiburan", "tembusan", "pemohon_pekerjaan",
                             "pemohon_ttl"})
FIELD_MAX = 500


def letter_templates_for(*, office, service_code: str) -> list[tuple[str, str]]:
    """The letters a service's dossier can produce: (code, title), the office's uploaded
    template taking the bundled one's place under the same code."""
    from loket.papers import letters
    from loket.papers.models import LetterTemplate

    found = {code: spec["title"] for code, spec in letters.BUNDLED.items() if spec.get("service") == service_code}
    for t in LetterTemplate.objects.filter(office=office, active=True):
        bound = t.service_code or letters.BUNDLED.get(t.code, {}).get("service", "")
        if bound == service_code:
            found[t.code] = t.title
        elif t.code in found:  # the office moved the bundled letter to another service
            del found[t.code]
    return sorted(found.items())


def letters_open(*, dossier, documents) -> list[tuple[str, str]]:
    """The letters of the dossier's service not yet issued for it (``documents``: its papers)."""
    issued = {doc.template for doc in documents}
    return [(code, title) for code, title in letter_templates_for(office=dossier.office, service_code=dossier.service.code)
            if code not in issued]


def letter_template_bytes(*, office, code: str) -> bytes:
    """The office's active template of ``code``, else the bundled one."""
    from loket.papers import letters
    from loket.papers.models import LetterTemplate

    own = LetterTemplate.objects.filter(office=office, code=code, active=True).first()
    if own is not None:
        with own.docx.open("rb") as fh:
            return fh.read()
    return letters.bundled_template(code)


def letter_form_fields(*, office, code: str) -> list[dict]:
    """What the clerk types for this letter: the template's fields that Loket does not fill,
    each with its label (letters.SAFE_FIELDS), whether it is required and its default."""
    from loket.papers import letters

    used = letters.template_check(letter_template_bytes(office=office, code=code))
    defaults = letters.letter_defaults(code, office=office) if code in letters.BUNDLED else letters.office_fields(office)
    out = []
    for name in sorted(used - AUTO_FIELDS) + (["tembusan"] if "tembusan" not in used else []):
        default = defaults.get(name, "")
        out.append({
            "name": name, "label": letters.SAFE_FIELDS.get(name, name),
            "required": name not in OPTIONAL_FIELDS,
            "default": "\n".join(default) if isinstance(default, list) else default,
            "multiline": name in ("tembusan", "keterangan", "surat_dasar"),
        })
    return out


def _letter_fields_clean(form: list[dict], typed: dict) -> dict:
    from loket.core.errors import InvalidInput

    errors: dict[str, list[str]] = {}
    out: dict = {}
    for f in form:
        value = str(typed.get(f["name"], "") or "").strip()
        if len(value) > FIELD_MAX * (4 if f["multiline"] else 1):
            errors[f["name"]] = [f"{f['label']}: terlalu panjang."]
        elif f["required"] and not value:
            errors[f["name"]] = [f"{f['label']}: wajib diisi."]
        if f["name"] == "tembusan":
            out["tembusan"] = [line.strip() for line in value.splitlines() if line.strip()][:20]
        else:
            out[f["name"]] = value
    if errors:
        raise InvalidInput(errors)
    return out


def letter_issue(*, dossier, actor, template_code: str, fields: dict, paper: str = "A4",
                 public_base: str = "", at=None) -> Document:
    """Write and number the letter a signed dossier produces (a recommendation, a research
    cover letter); who may, and when, is the dossier's to decide (dossiers.services.dossier_letter,
    policy.LETTER): the template's fields from the dossier, the office and the signer, the rest
    as the clerk typed them (checked: a required one left empty or one too long is refused
    and nothing is numbered), the kop, the signer's name and NIP and a verification QR."""
    from django.db import transaction
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    from loket.core import codes
    from loket.core.errors import InvalidInput, WrongState
    from loket.core.formats import tanggal
    from loket.core.pdf import QrFlowable, para
    from loket.papers import letters

    office = dossier.office
    if template_code not in dict(letter_templates_for(office=office, service_code=dossier.service.code)):
        raise InvalidInput({"template": [f"Templat surat «{template_code}» bukan untuk layanan ini."]})
    if paper not in letters.PAPERS:
        raise InvalidInput({"paper": ["Ukuran kertas harus A4 atau F4."]})
    if Document.objects.filter(office=office, reference=dossier.code, template=template_code).exists():
        raise WrongState("Surat ini sudah diterbitkan untuk berkas ini; cetak ulang dari daftar naskah.")
    template = letter_template_bytes(office=office, code=template_code)
    entered = _letter_fields_clean(letter_form_fields(office=office, code=template_code), fields)
    signer = dossier_signer(dossier)
    defaults = letters.letter_defaults(template_code, office=office) if template_code in letters.BUNDLED else {}
    classification = (getattr(dossier.service, "archive_code", "") or defaults.get("klasifikasi", "")).strip()
    base = {
        **letters.office_fields(office), **{k: v for k, v in defaults.items() if k not in entered},
        "klasifikasi": classification, "kode_berkas": codes.display(dossier.code),
        "pemohon_nama": dossier.applicant_name, "pemohon_nik": dossier.applicant_nik,
        "pemohon_jenis_kelamin": dossier.get_applicant_sex_display(),
        "pemohon_alamat": " ".join(p for p in [dossier.applicant_address, f"RT {dossier.applicant_rt}/RW {dossier.applicant_rw}",
                                               dossier.applicant_kelurahan.name if dossier.applicant_kelurahan_id else ""] if p),
        "penanda_tangan_jabatan": "\n".join(signer.title_lines), "penanda_tangan_nama": signer.name,
        "penanda_tangan_pangkat": signer.rank, "penanda_tangan_nip": signer.nip_text,
        **entered,
    }
    if not base.get("pemohon_ttl"):
        base["pemohon_ttl"] = tanggal(dossier.applicant_birth_date)
    title = dict(letter_templates_for(office=office, service_code=dossier.service.code))[template_code]

    def render(*, number, verification_code, issued_at):
        values = base | {"nomor": number, "tanggal": tanggal(issued_at)}
        url = verify_url(verification_code, public_base=public_base)

        def block(st, width):
            flow = letters.default_signer_block(values, st, width)
            qr = Table([[QrFlowable(url, 18 * mm), [para("Kode verifikasi", st["small"]),
                                                     para(codes.display(verification_code), st["bold"]),
                                                     para("Periksa keaslian surat ini dengan memindai kode QR.", st["small"])]]],
                       colWidths=[20 * mm, width - 20 * mm])
            qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            return [*flow, Spacer(1, 3 * mm), qr]

        return letters.letter_render_pdf(template=template, fields=values, office=office, signer_block=block,
                                         paper=paper, title=f"{title} {number}")

    with transaction.atomic():
        return document_issue(
            office=office, kind=Document.Kind.LETTER, title=title, reference=dossier.code, actor=actor, render=render,
            signer=signer, classification=classification, addressee=str(base.get("kepada", ""))[:300],
            subject=str(base.get("hal", ""))[:300], template=template_code, at=at,
            attachments=_attachments_count(base.get("lampiran", "")),
        )


def _attachments_count(text: str) -> int:
    """"2 (dua) berkas" -> 2; "-" or empty -> 0."""
    import re

    m = re.match(r"\s*(\d+)", str(text or ""))
    return int(m.group(1)) if m else 0
