"""The Standar Pelayanan as data (Permenpan RB No. 15 Tahun 2014 tentang Pedoman Standar Pelayanan).

An ``Edition`` is one signed standard of one office. It holds the service types
(jenis pelayanan), each with the 14 components of a service standard. A dossier points at the
edition in force when it was taken in, so a new edition never rewrites the past: once an
edition is active (or archived) it is read-only, and the next one starts as a draft copy.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from loket.catalog.archive import ARCHIVE_CODE_PATTERN
from loket.offices.models import Office, Unit


class EditionLocked(ValidationError):
    """An active or archived edition, or anything in it, was about to be changed."""


class Edition(models.Model):
    """Edisi Standar Pelayanan: one standard as signed by the head of the office."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        ACTIVE = "active", "Berlaku"
        ARCHIVED = "archived", "Arsip"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="editions")
    year = models.PositiveSmallIntegerField(help_text="Tahun standar, e.g. 2018.")
    title = models.CharField(max_length=250)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(null=True, blank=True, help_text="Tanggal penetapan.")
    signed_place_date = models.CharField(
        max_length=80, blank=True, help_text='As printed above the signature, e.g. "Madiun, Agustus 2018".'
    )
    signer_title = models.CharField(max_length=120, blank=True, help_text='e.g. "Camat Kartoharjo".')
    signer_name = models.CharField(max_length=120, blank=True)
    signer_rank = models.CharField(max_length=120, blank=True, help_text="Pangkat/golongan.")
    signer_nip = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=250, blank=True, help_text="The data file it was loaded from, if any.")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors",
        help_text="The edition this draft was copied from.",
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="edition_year_per_office"),
            # At most one edition in force per office; the database itself refuses a second.
            models.UniqueConstraint(
                fields=["office"], condition=Q(status="active"), name="one_active_edition_per_office"
            ),
        ]
        verbose_name = "edisi standar pelayanan"
        verbose_name_plural = "edisi standar pelayanan"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Edition.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored and stored != self.Status.DRAFT:
                raise EditionLocked(
                    f"Edisi {self.year} berstatus {Edition.Status(stored).label} dan tidak dapat diubah; "
                    "salin menjadi draf edisi berikutnya."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise EditionLocked("Edisi yang berlaku atau diarsipkan tidak dapat dihapus.")
        return super().delete(*args, **kwargs)


class EditionPart(models.Model):
    """Anything stored inside an edition: writable only while the edition is a draft."""

    class Meta:
        abstract = True

    # Each concrete part defines ``_edition()``: how it reaches its edition.

    def _check_editable(self):
        edition = self._edition()
        # Read the status from the database, not from a possibly stale instance.
        status = Edition.objects.filter(pk=edition.pk).values_list("status", flat=True).first()
        if status and status != Edition.Status.DRAFT:
            raise EditionLocked(
                f"Edisi {edition.year} berstatus {Edition.Status(status).label} dan tidak dapat diubah; "
                "salin menjadi draf edisi berikutnya."
            )

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)


class ServiceType(EditionPart):
    """Jenis pelayanan with the 14 components of Permenpan RB 15/2014 (Lampiran, komponen
    standar pelayanan): dasar hukum; persyaratan; sistem, mekanisme dan prosedur; jangka waktu
    penyelesaian; biaya/tarif; produk layanan; sarana, prasarana dan/atau fasilitas; kompetensi
    pelaksana; pengawasan internal; penanganan pengaduan, saran dan masukan; jumlah pelaksana;
    jaminan pelayanan; jaminan keamanan dan keselamatan pelayanan; evaluasi kinerja pelaksana."""

    class Signer(models.TextChoices):
        CAMAT_OR_SEKCAM = "camat_or_sekcam", "Camat, atau Sekretaris Kecamatan a.n. Camat"
        CAMAT = "camat", "Camat"
        CAMAT_PPAT = "camat_ppat", "Camat selaku PPAT Sementara"
        NONE = "none", "Tanpa tanda tangan"

    class RegisterBook(models.TextChoices):
        PELAYANAN = "pelayanan", "Buku Register Pelayanan (Kecamatan)"
        PPAT = "ppat", "Buku Register PPAT"
        PENYEWA = "penyewa", "Buku Register Penyewa"

    class DurationUnit(models.TextChoices):
        MINUTE = "minute", "menit"
        DAY = "day", "hari"

    class FeeKind(models.TextChoices):
        FREE = "free", "Gratis"
        PERCENT_CAP = "percent_cap", "Paling banyak persentase dari nilai transaksi"
        TARIFF = "tariff", "Tarif"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="services")
    number = models.PositiveSmallIntegerField(help_text="Nomor urut in the standard.")
    code = models.SlugField(max_length=40, help_text="Short code used in addresses and the API, e.g. ktp-el.")
    name = models.CharField(max_length=400, help_text="Jenis pelayanan, wording as in the signed standard.")
    short_name = models.CharField(max_length=120, help_text="Short label for lists and buttons.")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="service_types",
        help_text="The unit whose Kasi re-checks and initials (paraf) the dossier (komponen 3).",
    )
    unit_chosen_at_intake = models.BooleanField(
        default=False,
        help_text=(
            "The front office picks the verifying unit among the office's Kasi at intake (default: the unit "
            "above), e.g. service 15 of the Kartoharjo 2018 standard, \"diteruskan ke Kasi\" and komponen 9 "
            "\"Kasi-Kasi Kecamatan yang terkait\" (docs/standard-notes.md)."
        ),
    )
    signer = models.CharField(max_length=20, choices=Signer.choices, help_text="Who signs (komponen 3).")
    register_book = models.CharField(
        max_length=20, choices=RegisterBook.choices, help_text="The book the act is recorded in (komponen 3)."
    )
    product = models.TextField(help_text="Komponen 6, produk layanan.")
    forwarded_to = models.CharField(
        max_length=250, blank=True, help_text="The agency the applicant takes the product to (last procedure step)."
    )
    legal_basis = models.JSONField(default=list, help_text="Komponen 1, dasar hukum: one regulation per item.")
    duration_min = models.PositiveIntegerField(help_text="Komponen 4, jangka waktu penyelesaian: lower bound.")
    duration_max = models.PositiveIntegerField(help_text="Upper bound; equal to the lower bound for a single figure.")
    duration_unit = models.CharField(max_length=10, choices=DurationUnit.choices)
    duration_text = models.CharField(max_length=120, help_text="The wording in the standard, e.g. “5 – 10 menit”.")
    fee_kind = models.CharField(max_length=20, choices=FeeKind.choices, help_text="Komponen 5, biaya/tarif.")
    fee_text = models.TextField(help_text="The fee as worded in the standard.")
    fee_percent_cap = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="For a percentage cap: the most the fee may be, in % of the transaction value (PP 24/2016).",
    )
    fee_government_discount_percent = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="For a tariff: share of the tariff paid when the regional government uses the object, in %.",
    )
    fee_notes = models.JSONField(default=list, blank=True, help_text="Catatan under the tariff table.")
    facilities = models.JSONField(default=list, help_text="Komponen 7, sarana, prasarana dan/atau fasilitas.")
    competence = models.JSONField(default=list, help_text="Komponen 8, kompetensi pelaksana.")
    internal_oversight = models.TextField(help_text="Komponen 9, pengawasan internal.")
    complaint_handling = models.JSONField(
        default=dict,
        help_text='Komponen 10, penanganan pengaduan, saran dan masukan: {"channels": [], "contacts": [], "steps": []}.',
    )
    staffing = models.TextField(help_text="Komponen 11, jumlah pelaksana.")
    service_guarantee = models.TextField(help_text="Komponen 12, jaminan pelayanan.")
    security_guarantee = models.TextField(help_text="Komponen 13, jaminan keamanan dan keselamatan pelayanan.")
    performance_evaluation = models.JSONField(default=list, help_text="Komponen 14, evaluasi kinerja pelaksana.")
    archive_code = models.CharField(
        max_length=30, blank=True,
        validators=[RegexValidator(ARCHIVE_CODE_PATTERN, "Tulis angka yang dipisah titik, misalnya 400.12.2.1.")],
        help_text=(
            "Kode klasifikasi arsip of the service's papers (Permendagri No. 83 Tahun 2022 tentang Pedoman "
            "Kode Klasifikasi Arsip di Lingkungan Kementerian Dalam Negeri dan Pemerintah Daerah, Lampiran), "
            "e.g. 400.12.2.1 Identitas Penduduk; the {klasifikasi} part of the letter number. Blank when no "
            "class is clear (docs/papers.md)."
        ),
    )

    class Meta:
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="service_number_per_edition"),
            models.UniqueConstraint(fields=["edition", "code"], name="service_code_per_edition"),
        ]
        verbose_name = "jenis pelayanan"
        verbose_name_plural = "jenis pelayanan"

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"

    def _edition(self) -> Edition:
        return self.edition

    @property
    def office_id(self):
        return self.edition.office_id

    @property
    def duration_display(self) -> str:
        unit = self.get_duration_unit_display()
        if self.duration_min == self.duration_max:
            return f"{self.duration_min} {unit}"
        return f"{self.duration_min}–{self.duration_max} {unit}"


class Requirement(EditionPart):
    """Persyaratan pelayanan: one item of a service's requirements (komponen 2), e.g.
    "Foto copy KK dan menunjukkan yang asli"."""

    service = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="Wording as in the signed standard.")
    show_original = models.BooleanField(default=False, help_text="The original must be shown at the counter.")
    group = models.CharField(
        max_length=120, blank=True, help_text='Heading above a block of items in the standard, e.g. "KK BARU".'
    )
    condition = models.CharField(
        max_length=250, blank=True,
        help_text='When it applies, e.g. "jika pindah antar kota/ provinsi"; empty = always.',
    )
    condition_key = models.SlugField(
        max_length=60, blank=True, help_text="Stable key of the condition, asked at intake, e.g. dikuasakan."
    )

    class Meta:
        ordering = ["service", "order"]
        constraints = [models.UniqueConstraint(fields=["service", "order"], name="requirement_order_per_service")]
        verbose_name = "persyaratan"
        verbose_name_plural = "persyaratan"

    def __str__(self) -> str:
        return self.text

    def _edition(self) -> Edition:
        return self.service.edition


class ProcedureStep(EditionPart):
    """One step of sistem, mekanisme dan prosedur (komponen 3), in order."""

    service = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="procedure_steps")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="Wording as in the signed standard.")

    class Meta:
        ordering = ["service", "order"]
        constraints = [models.UniqueConstraint(fields=["service", "order"], name="procedure_order_per_service")]
        verbose_name = "langkah prosedur"
        verbose_name_plural = "langkah prosedur"

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    def _edition(self) -> Edition:
        return self.service.edition


class Tariff(EditionPart):
    """One line of a tariff table (komponen 5), e.g. the hall's Siang session at Rp 1.000.000
    (Perda Kota Madiun 17/2018 tentang Retribusi Pemakaian Kekayaan Daerah)."""

    class Kind(models.TextChoices):
        SESSION = "session", "Sesi pemakaian"
        STAFF = "staff", "Petugas"

    service = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="tariffs")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start = models.TimeField(null=True, blank=True, help_text="For a session: from (WIB).")
    end = models.TimeField(null=True, blank=True, help_text="For a session: until (WIB).")
    quantity = models.PositiveSmallIntegerField(default=1, help_text="e.g. 4 petugas kebersihan.")
    unit = models.CharField(max_length=40, blank=True, help_text='e.g. "orang", "hari".')
    unit_price = models.PositiveIntegerField(help_text="Rupiah per unit.")

    class Meta:
        ordering = ["service", "order"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="tariff_code_per_service")]
        verbose_name = "tarif"
        verbose_name_plural = "tarif"

    def __str__(self) -> str:
        return f"{self.label}: Rp {self.amount:,}".replace(",", ".")

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    def _edition(self) -> Edition:
        return self.service.edition


# The 14 components of a service standard (Permenpan RB 15/2014, Lampiran), numbered as in the book.
COMPONENTS = [
    (1, "Dasar hukum"),
    (2, "Persyaratan pelayanan"),
    (3, "Sistem, mekanisme dan prosedur"),
    (4, "Jangka waktu penyelesaian"),
    (5, "Biaya/ tarif"),
    (6, "Produk layanan"),
    (7, "Sarana, prasarana dan/atau fasilitas"),
    (8, "Kompetensi pelaksana"),
    (9, "Pengawasan internal"),
    (10, "Penanganan pengaduan, saran dan masukan"),
    (11, "Jumlah pelaksana"),
    (12, "Jaminan pelayanan"),
    (13, "Jaminan keamanan dan keselamatan pelayanan"),
    (14, "Evaluasi kinerja pelaksana"),
]


class ReviewNote(models.Model):
    """Catatan evaluasi: one finding of the periodic evaluation of a signed standard
    (Permenpan RB 15/2014 asks the office to evaluate its standard periodically; docs/standard-notes.md,
    "Evaluasi Standar Pelayanan"): a change in the law since the edition was signed, or an error in the
    signed text. The signed text itself is never corrected silently: a note says what is wrong and
    where, and the office decides it on the next edition's draft (``status``). The notes of an
    active or archived edition are read-only; "Salin menjadi draf" carries them into the draft,
    undecided."""

    class Kind(models.TextChoices):
        LAW_CHANGE = "law_change", "Perubahan hukum"
        TEXT_ERROR = "text_error", "Kesalahan naskah"

    class Status(models.TextChoices):
        UNDECIDED = "undecided", "Belum diputuskan"
        APPLIED = "applied", "Diterapkan"
        REJECTED = "rejected", "Ditolak"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="review_notes")
    key = models.SlugField(max_length=60, help_text="Stable key of the note within its edition, e.g. bea-meterai.")
    order = models.PositiveSmallIntegerField(default=0)
    service = models.ForeignKey(
        ServiceType, null=True, blank=True, on_delete=models.CASCADE, related_name="review_notes",
        help_text="The service the note is about; empty: several services or the whole standard.",
    )
    services_text = models.CharField(
        max_length=120, blank=True, help_text='The services named when there is more than one, e.g. "1–6".'
    )
    component = models.PositiveSmallIntegerField(choices=COMPONENTS, help_text="Komponen standar pelayanan (1–14).")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quote = models.TextField(blank=True, help_text="The words of the signed text the note is about, as printed.")
    text = models.TextField(help_text="What changed or what is wrong, and what the next edition could say.")
    source = models.TextField(help_text="The regulation and article, and where it was checked.")
    verified = models.BooleanField(
        default=False, help_text="The article was checked against a text of the regulation; otherwise: belum diverifikasi."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNDECIDED)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="review_note_key_per_edition")]
        verbose_name = "catatan evaluasi"
        verbose_name_plural = "catatan evaluasi"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    # The act table (loket/catalog/policy.py) reads an object's office and state: a note is
    # decided while its edition is a draft.
    @property
    def office_id(self):
        return self.edition.office_id

    @property
    def state(self) -> str:
        return self.edition.status
