"""Dossiers (berkas) of the legalisation services 1–16 and their append-only history.

The path follows the seed's procedure (komponen 3) and flowchart: the front office receives
and checks, forwards to the Kasi of the service's unit, who re-checks and initials (paraf);
the Camat signs, or the Sekretaris Kecamatan signs a.n. Camat; the front office records the
act in the Buku Register Kecamatan and hands it to the applicant for the agency named in the
standard. An incomplete dossier is returned with the list of what is missing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.catalog.models import Requirement, ServiceType
from loket.core.history import AppendOnlyModel
from loket.core.uploads import CONTENT_TYPES
from loket.offices.models import Kelurahan, Office, Unit
from loket.registers.models import RegisterEntry


class Applicant(models.Model):
    """Pemohon, identified by NIK within an office: the person record, for looking someone up
    across visits. Its data are those of the last intake; nothing that shows or prints a
    dossier reads them (each dossier keeps the data as given at its own intake)."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class MaritalStatus(models.TextChoices):
        SINGLE = "belum_kawin", _("Belum kawin")
        MARRIED = "kawin", _("Kawin")
        DIVORCED = "cerai_hidup", _("Cerai hidup")
        WIDOWED = "cerai_mati", _("Cerai mati")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="applicants")
    nik = models.CharField(max_length=16, help_text="Nomor Induk Kependudukan (UU 24/2013 Pasal 13).")
    kk_number = models.CharField(max_length=16, blank=True, help_text="Nomor Kartu Keluarga; boleh kosong: tidak ditanyakan di loket (KK sendiri diperiksa sebagai persyaratan), dicatat bila diketik. UU 27/2022 Pasal 16 ayat (2) huruf a: pengumpulan data pribadi terbatas dan spesifik.")
    name = models.CharField(max_length=150)
    birth_date = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    marital_status = models.CharField(max_length=20, choices=MaritalStatus.choices, blank=True, help_text="Boleh kosong: ditanyakan hanya bila menentukan persyaratan (KTP-el di bawah 17 tahun, UU 24/2013 Pasal 63 ayat (1)).")
    address = models.CharField(max_length=250, help_text="Alamat (jalan, nomor).")
    rt = models.CharField(max_length=3, help_text="RT")
    rw = models.CharField(max_length=3, help_text="RW")
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.PROTECT, null=True, blank=True, related_name="applicants",
        help_text="Kelurahan of residence in this kecamatan; empty for a resident of elsewhere.",
    )
    phone = models.CharField(max_length=20, blank=True, help_text="Telepon/WhatsApp; boleh kosong: persyaratan layanan tidak memerlukannya, ditanyakan hanya bila pemohon ingin dihubungi (mis. berkas siap diambil atau dikembalikan), dicatat bila diketik. UU 27/2022 Pasal 16 ayat (2) huruf a: pengumpulan data pribadi terbatas dan spesifik.")
    email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "nik"], name="applicant_nik_per_office")]
        indexes = [models.Index(fields=["office", "name"])]
        verbose_name = "pemohon"
        verbose_name_plural = "pemohon"

    def __str__(self) -> str:
        return self.name


class Dossier(models.Model):
    """Berkas: one application for one service, from intake to handover."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        RETURNED = "returned", _("Dikembalikan")
        FORWARDED = "forwarded", _("Diteruskan ke Kasi")
        INITIALLED = "initialled", _("Diparaf")
        SIGNED = "signed", _("Ditandatangani")
        REGISTERED = "registered", _("Diregister")
        HANDED_OVER = "handed_over", _("Diserahkan")
        # A dossier taken in by mistake (wrong service, a duplicate, the citizen withdrew at
        # the counter), cancelled by the front office with a reason before it left the counter
        # (services.dossier_cancel_intake). An end state: no work list or count shows it, and
        # it never took a register number (numbers are given at REGISTERED only).
        CANCELLED = "cancelled", _("Dibatalkan")

    class SignerCapacity(models.TextChoices):
        CAMAT = "camat", "Camat"
        AN_CAMAT = "an_camat", "Sekretaris Kecamatan a.n. Camat"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="dossiers")
    code = models.CharField(max_length=12, unique=True, help_text="Kode lacak: short, unguessable, easy to read aloud.")
    service = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="dossiers",
        help_text="The service type of the edition in force at intake; a new edition never rewrites it.",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossiers", help_text="The unit that initials.")
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="dossiers",
        help_text="The person record (look-up across visits); the dossier's own facts are the applicant_* fields.",
    )
    # The applicant's data as given at this dossier's intake (data pemohon pada berkas). Pages,
    # papers, the register, exports and the API read these, never the person record, so a
    # later intake for the same NIK cannot change what an earlier paper says. They change only
    # through dossier_correct (with a reason, recorded in Correction) and never from signature on.
    applicant_nik = models.CharField("NIK", max_length=16, help_text="Nomor Induk Kependudukan (UU 24/2013 Pasal 13).")
    applicant_kk_number = models.CharField("Nomor KK", max_length=16, blank=True, help_text="Nomor Kartu Keluarga; boleh kosong: tidak ditanyakan di loket (KK sendiri diperiksa sebagai persyaratan), dicatat bila diketik. UU 27/2022 Pasal 16 ayat (2) huruf a: pengumpulan data pribadi terbatas dan spesifik.")
    applicant_name = models.CharField("Nama", max_length=150)
    applicant_birth_date = models.DateField("Tanggal lahir")
    applicant_sex = models.CharField("Jenis kelamin", max_length=1, choices=Applicant.Sex.choices)
    applicant_marital_status = models.CharField("Status perkawinan", max_length=20, choices=Applicant.MaritalStatus.choices,
                                                blank=True, help_text="Boleh kosong: ditanyakan hanya bila menentukan persyaratan (KTP-el di bawah 17 tahun, UU 24/2013 Pasal 63 ayat (1)).")
    applicant_address = models.CharField("Alamat", max_length=250, help_text="Alamat (jalan, nomor).")
    applicant_rt = models.CharField("RT", max_length=3)
    applicant_rw = models.CharField("RW", max_length=3)
    applicant_kelurahan = models.ForeignKey(
        Kelurahan, verbose_name="Kelurahan", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Kelurahan of residence in this kecamatan; empty for a resident of elsewhere.",
    )
    applicant_phone = models.CharField("Telepon/WhatsApp", max_length=20, blank=True, help_text="Telepon/WhatsApp; boleh kosong: persyaratan layanan tidak memerlukannya, ditanyakan hanya bila pemohon ingin dihubungi (mis. berkas siap diambil atau dikembalikan), dicatat bila diketik. UU 27/2022 Pasal 16 ayat (2) huruf a: pengumpulan data pribadi terbatas dan spesifik.")
    applicant_email = models.EmailField("Email", blank=True)
    state = models.CharField(max_length=20, choices=State.choices, db_index=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Answers to the conditions of the checklist.")
    by_proxy = models.BooleanField(default=False, help_text="Diurus oleh kuasa.")
    proxy_name = models.CharField(max_length=150, blank=True)
    received_at = models.DateTimeField(help_text="First intake at the counter.")
    clock_started_at = models.DateTimeField(
        help_text="When the complete dossier was last accepted: the standard time runs from here."
    )
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signer_capacity = models.CharField(max_length=20, choices=SignerCapacity.choices, blank=True)
    register_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="dossier"
    )
    verification_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    handed_over_to = models.CharField(max_length=250, blank=True, help_text="The agency the applicant takes it to.")
    done_at = models.DateTimeField(null=True, blank=True, help_text="Handed over.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["office", "state", "received_at"]),
            models.Index(fields=["office", "unit", "state"]),
            models.Index(fields=["office", "applicant_nik"]),  # staff search by NIK
            # the leadership's desk and reports: a period's intake and handovers (bench/desk.py)
            models.Index(fields=["office", "received_at"]),
            models.Index(fields=["office", "done_at"]),
        ]
        verbose_name = "berkas"
        verbose_name_plural = "berkas"

    def __str__(self) -> str:
        return self.code


class DossierItem(models.Model):
    """One line of the dossier's checklist: a requirement of the edition, and whether it is there."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)
    original_shown = models.BooleanField(default=False)

    class Meta:
        ordering = ["dossier", "requirement__order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "requirement"], name="one_item_per_requirement")]

    @property
    def complete(self) -> bool:
        return self.present and (self.original_shown or not self.requirement.show_original)


class Transition(AppendOnlyModel):
    """Riwayat: one step of a dossier, append-only (who, when, from, to, note)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=Dossier.State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=Dossier.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    missing = models.JSONField(default=list, blank=True, help_text="For a return: the requirement texts missing.")
    cancels = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="For 'Batalkan pengembalian': the return (a transition to 'returned') this step undoes. "
                  "The return stays in the history; this step says it was a mistake.",
    )

    class Meta:
        ordering = ["dossier", "at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"]),
                   models.Index(fields=["to_state", "at"])]  # a period's returns (reports, desk, oversight)
        verbose_name = "riwayat berkas"
        verbose_name_plural = "riwayat berkas"

    CANCELLED_RETURN = "Pengembalian dibatalkan"

    @property
    def label(self) -> str:
        """What this step was, in a word or two: the new state's name, or "Pengembalian
        dibatalkan" for the undoing of a mistaken return (the staff and public histories)."""
        return self.CANCELLED_RETURN if self.cancels_id else Dossier.State(self.to_state).label


class Correction(AppendOnlyModel):
    """Koreksi data pemohon: one field of the applicant's data on a dossier, corrected before
    signature by the one who holds the dossier, with a reason (who, when, field, old, new, why).
    Append-only like Transition; a mistaken correction is put right by another correction."""

    class Field(models.TextChoices):
        NIK = "nik", "NIK"
        KK_NUMBER = "kk_number", "Nomor KK"
        NAME = "name", "Nama"
        BIRTH_DATE = "birth_date", "Tanggal lahir"
        SEX = "sex", "Jenis kelamin"
        MARITAL_STATUS = "marital_status", "Status perkawinan"
        ADDRESS = "address", "Alamat"
        RT = "rt", "RT"
        RW = "rw", "RW"
        KELURAHAN = "kelurahan", "Kelurahan"
        PHONE = "phone", "Telepon/WhatsApp"
        EMAIL = "email", "Email"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField(max_length=20, choices=Field.choices)
    old_value = models.TextField(blank=True, help_text="As stored before (a date as YYYY-MM-DD, a kelurahan as name and code).")
    new_value = models.TextField(blank=True)
    reason = models.TextField(help_text="Alasan koreksi, e.g. the KK shows another spelling of the name.")
    state = models.CharField(max_length=20, choices=Dossier.State.choices, help_text="The dossier's state at the time.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"])]
        verbose_name = "koreksi data berkas"
        verbose_name_plural = "koreksi data berkas"


class DossierAttachment(AppendOnlyModel):
    """Pindaian berkas: a scanned copy (scanner or phone camera; JPEG, PNG or PDF, checked by
    content with loket.core.uploads.upload_check) of the papers handed in at the counter.
    Append-only: a wrong or unreadable scan stays in the record, and a better one is added.
    Stored under a random name outside any served folder; sent only to staff of the dossier's
    office (never on a public page: the papers carry the applicant's personal data)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="berkas/%Y/%m/")
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, help_text="pdf, jpeg or png, from the file's first bytes.")
    size = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True, help_text="What the scan shows, e.g. 'KK dan KTP'.")
    state = models.CharField(max_length=20, choices=Dossier.State.choices, help_text="The dossier's state at the time.")
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["dossier", "pk"]
        verbose_name = "pindaian berkas"
        verbose_name_plural = "pindaian berkas"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


class Measure(models.Model):
    """Waktu penyelesaian: how long a handed-over dossier took in working time (the office's
    working hours on working days, offices.hours), as a whole and per step, against the
    standard's upper bound (Permenpan RB 15/2014, komponen 4, jangka waktu penyelesaian).

    Written with the handover, in the same transaction (dossiers.measure.measure_store), so the
    reports add stored figures instead of replaying every dossier's history. Derived, never
    typed: ``loket measures`` writes them again after the office's working hours or holidays of a
    past period were corrected (docs/service-report.md)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, primary_key=True, related_name="measure")
    minutes = models.FloatField(help_text="Menit kerja sejak berkas lengkap diterima sampai diserahkan.")
    on_time = models.BooleanField(help_text="Dalam jangka waktu penyelesaian standar (komponen 4).")
    counter_minutes = models.FloatField(null=True, blank=True, help_text="Di loket: diterima lengkap s.d. diteruskan.")
    kasi_minutes = models.FloatField(null=True, blank=True, help_text="Menunggu paraf Kasi.")
    signer_minutes = models.FloatField(null=True, blank=True, help_text="Menunggu tanda tangan Camat/Sekcam.")
    closing_minutes = models.FloatField(null=True, blank=True, help_text="Ditandatangani s.d. diserahkan.")
    measured_at = models.DateTimeField()

    class Meta:
        verbose_name = "waktu penyelesaian berkas"
        verbose_name_plural = "waktu penyelesaian berkas"
