"""Issued documents (naskah dinas keluar) and the signers' certificates.

Every paper the office issues as the product of a service (a legalisation, a letter, a
receipt, a deed paper) is stored once, as the PDF that left the office, with its SHA-256, its
letter number and the signer as printed on the day (name, NIP, pangkat, jabatan): a later
change of Camat never rewrites who signed an old paper. An electronic signature adds a
``DocumentSignature`` row with the signed PDF; the unsigned original stays.

Tata naskah dinas: Permendagri 1/2023 (docs/papers.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from loket.core.history import AppendOnlyModel
from loket.offices.models import Office
from loket.registers.models import RegisterEntry


class Document(AppendOnlyModel):
    """Naskah dinas keluar: one issued paper, as it left the office."""

    class Kind(models.TextChoices):
        LEGALISATION = "legalisasi", "Legalisasi"
        LETTER = "surat", "Surat"
        QUOTE = "penawaran", "Surat penawaran sewa"
        RECEIPT = "kuitansi", "Kuitansi"
        SKRD = "skrd", "Surat Ketetapan Retribusi Daerah"
        STS = "sts", "Surat Tanda Setoran"
        DEED = "akta", "Naskah akta"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    template = models.CharField(max_length=60, blank=True, help_text="The letter template's code, if any.")
    title = models.CharField(max_length=250, help_text='What the paper is, e.g. "Surat Pengantar Penelitian".')
    reference = models.CharField(
        max_length=40, db_index=True, help_text="The case it belongs to: kode berkas, kode sewa or kode akta."
    )
    number = models.CharField(max_length=80, help_text="Nomor surat as printed, e.g. 470/12/401.301/2026.")
    agenda_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="document",
        help_text="Its line in the Buku Agenda Surat Keluar (the number's source).",
    )
    classification = models.CharField(
        max_length=30, blank=True, help_text="Kode klasifikasi arsip (Permendagri 83/2022), e.g. 470."
    )
    addressee = models.CharField(max_length=300, blank=True, help_text="Yth. … (kepada).")
    subject = models.CharField(max_length=300, blank=True, help_text="Hal (perihal).")
    attachments = models.PositiveSmallIntegerField(default=0, help_text="Lampiran: number of attached sheets.")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The official who signs (the account); the printed name is kept below as it was.",
    )
    signer_title = models.CharField(
        max_length=250, blank=True, help_text='As printed above the name, e.g. "a.n. CAMAT KARTOHARJO / Sekretaris Kecamatan".'
    )
    signer_name = models.CharField(max_length=200, blank=True)
    signer_rank = models.CharField(max_length=120, blank=True, help_text="Pangkat/golongan as printed.")
    signer_nip = models.CharField(max_length=30, blank=True)
    verification_code = models.CharField(max_length=16, unique=True)
    pdf = models.FileField(upload_to="documents/%Y/%m/", help_text="The PDF as issued (before any electronic signature).")
    sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["office", "-issued_at", "-id"]
        verbose_name = "naskah keluar"
        verbose_name_plural = "naskah keluar"

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class DocumentSignature(AppendOnlyModel):
    """Tanda tangan elektronik (PAdES) on an issued document: the signed PDF is a new file, the
    original stays. UU 11/2008 jo. UU 1/2024 Pasal 11; PP 71/2019 Pasal 59-60 (docs/papers.md)."""

    class Method(models.TextChoices):
        LOCAL = "lokal", "Sertifikat penanda tangan di server Loket (PKCS#12)"
        REMOTE = "remote", "Layanan tanda tangan elektronik (TTE) jarak jauh"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    certificate_subject = models.CharField(max_length=400, blank=True)
    certificate_serial = models.CharField(max_length=80, blank=True)
    demo = models.BooleanField(default=False, help_text="Signed with a DEMO certificate (bukan sertifikat resmi).")
    pdf = models.FileField(upload_to="documents/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["document", "signed_at", "id"]
        verbose_name = "tanda tangan elektronik"
        verbose_name_plural = "tanda tangan elektronik"


class SigningCredential(models.Model):
    """A signer's certificate and private key, imported from a PKCS#12 file (``loket signing
    import``). The PKCS#12 is kept as imported, encrypted under the signer's own passphrase,
    which Loket never stores: the signer types it at each signature."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signing_credentials")
    pkcs12 = models.BinaryField(help_text="The PKCS#12 file as imported (encrypted with the signer's passphrase).")
    certificate_pem = models.TextField()
    chain_pem = models.TextField(blank=True, help_text="The issuing certificates, PEM, leaf's issuer first.")
    subject = models.CharField(max_length=400)
    serial = models.CharField(max_length=80)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    demo = models.BooleanField(default=False, help_text="DEMO — bukan sertifikat resmi.")
    imported_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True, help_text="The one in use; importing a new one retires the old.")

    class Meta:
        ordering = ["user", "-imported_at"]
        verbose_name = "sertifikat penanda tangan"
        verbose_name_plural = "sertifikat penanda tangan"

    def __str__(self) -> str:
        return self.subject


def _template_path(instance, filename: str) -> str:
    return f"letter_templates/{instance.office_id}/{instance.code}-{filename}"


class LetterTemplate(models.Model):
    """A Word template (.docx) of a letter the office writes, uploaded by the office admin in
    place of the bundled one of the same code (papers/letters.py; docs/letters.md). The
    template may use only the documented safe fields: one that names anything else is refused
    at upload, with the field's name. A new upload retires the previous one; old ones stay,
    so a reprint of an old letter can be traced to the template it came from."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="letter_templates")
    code = models.SlugField(max_length=60, help_text="The bundled template it replaces, e.g. rekomendasi-keramaian.")
    title = models.CharField(max_length=200, help_text='e.g. "Surat Rekomendasi Izin Keramaian".')
    service_code = models.SlugField(
        max_length=40, blank=True,
        help_text="Kode layanan yang menghasilkan surat ini (mis. izin-keramaian); kosong: sama dengan templat bawaan.",
    )
    docx = models.FileField(upload_to=_template_path, help_text="Templat Word (.docx) dengan isian {{ nama_isian }}.")
    fields = models.JSONField(default=list, help_text="The safe fields the template uses (checked at upload).")
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["office", "code", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], condition=models.Q(active=True),
                                    name="one_active_letter_template_per_code"),
        ]
        verbose_name = "templat surat"
        verbose_name_plural = "templat surat"

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"
