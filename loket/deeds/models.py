"""Akta tanah with the Camat as PPAT Sementara (service 17 of the Kartoharjo standard).

The Camat is appointed temporary land-deed official for the kecamatan (PP 37/1998 Pasal 5
ayat (3) as amended by PP 24/2016); the Petugas administrasi PPAT prepares the deed, the Kasi
Pemerintahan validates it (komponen 11: "Kasi Pemerintahan (validasi)"), the Camat signs it in
a signing session (sidang) with the parties and two witnesses (PP 24/1997 Pasal 38 ayat (1)),
and the deed is written in the Buku Register PPAT (Perkaban 1/2006 Pasal 57) before the
applicant takes it to the land office (BPN).

History is appended (``Transition``); the clock's pauses are rows (``Pause``); the Camat's
calendar is half-hour ``SigningSlot`` rows whose unique key among live slots makes a second
sidang at the same time impossible in the database itself.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop  # plain labels kept in the books, in the catalogue
from django.db.models import Q

from loket.catalog.models import Requirement, ServiceType
from loket.core.history import AppendOnlyModel
from loket.offices.models import Kelurahan, Office, Staff
from loket.registers.models import RegisterEntry


class DeedKind(models.TextChoices):
    """The deeds of a PPAT as PP 37/1998 Pasal 2 ayat (2) lists the legal acts (jual beli, tukar
    menukar, hibah, pemasukan ke dalam perusahaan, pembagian hak bersama, pemberian HGB/ Hak Pakai
    atas tanah Hak Milik, pemberian Hak Tanggungan, pemberian kuasa membebankan Hak Tanggungan),
    and two services the Kartoharjo standard names besides them: the penolakan/ penyerahan hak
    bersama and the help with certificates. There is no "akta waris": an inheritance is divided
    by an akta pembagian hak bersama whose ``Case.cause`` is ``warisan``."""

    JUAL_BELI = "jual_beli", gettext_noop("Akta Jual Beli")
    TUKAR_MENUKAR = "tukar_menukar", gettext_noop("Akta Tukar Menukar")
    HIBAH = "hibah", gettext_noop("Akta Hibah")
    INBRENG = "inbreng", gettext_noop("Akta Pemasukan ke dalam Perusahaan (Inbreng)")
    PEMBAGIAN = "pembagian", gettext_noop("Akta Pembagian Hak Bersama")
    HGB_HP = "hgb_hp_atas_hm", gettext_noop("Akta Pemberian Hak Guna Bangunan/ Hak Pakai atas Tanah Hak Milik")
    HAK_TANGGUNGAN = "hak_tanggungan", gettext_noop("Akta Pemberian Hak Tanggungan (APHT)")
    SKMHT = "skmht", gettext_noop("Surat Kuasa Membebankan Hak Tanggungan (SKMHT)")
    PENYERAHAN = "penyerahan", gettext_noop("Akta Penolakan/ Penyerahan Hak Bersama")
    SERTIFIKAT = "sertifikat", gettext_noop("Bantuan pengurusan sertifikat tanah")


class Cause(models.TextChoices):
    """Why the right is acquired, where the law treats it apart: an inheritance (pewarisan) has its
    own BPHTB threshold (UU 1/2022 Pasal 46) and PPh exemption (PP 34/2016 Pasal 6)."""

    NONE = "", gettext_noop("Biasa")
    WARISAN = "warisan", gettext_noop("Pewarisan")


class PartyRole(models.TextChoices):
    PENJUAL = "penjual", gettext_noop("Penjual")
    PEMBELI = "pembeli", gettext_noop("Pembeli")
    PEMBERI_HIBAH = "pemberi_hibah", gettext_noop("Pemberi hibah")
    PENERIMA_HIBAH = "penerima_hibah", gettext_noop("Penerima hibah")
    PEWARIS = "pewaris", gettext_noop("Pewaris (almarhum/ almarhumah)")
    AHLI_WARIS = "ahli_waris", gettext_noop("Ahli waris")
    PEMEGANG_HAK = "pemegang_hak", gettext_noop("Pemegang hak bersama")
    PENYERAH_HAK = "penyerah_hak", gettext_noop("Pihak yang menolak/ menyerahkan hak")
    PENERIMA_HAK = "penerima_hak", gettext_noop("Pihak yang menerima hak")
    PEMOHON = "pemohon", gettext_noop("Pemohon")
    PENUKAR = "penukar", gettext_noop("Pihak yang bertukar hak")
    PEMASUK = "pemasuk", gettext_noop("Pemegang hak yang memasukkan (inbreng)")
    PERUSAHAAN = "perusahaan", gettext_noop("Perusahaan penerima (diwakili pengurusnya)")
    PEMILIK_HM = "pemilik_hm", gettext_noop("Pemegang Hak Milik (pemberi hak)")
    PEMBERI_HT = "pemberi_ht", gettext_noop("Pemberi Hak Tanggungan")
    PEMEGANG_HT = "pemegang_ht", gettext_noop("Penerima/ pemegang Hak Tanggungan (kreditor)")
    PEMBERI_KUASA = "pemberi_kuasa", gettext_noop("Pemberi kuasa (pemberi Hak Tanggungan)")
    PENERIMA_KUASA = "penerima_kuasa", gettext_noop("Penerima kuasa")


DEFAULT_FEE_RATE = Decimal("0.9")  # the standard's "dibawah 1 %": below the cap until the office sets its rate


class Setting(models.Model):
    """The office's PPAT fee rate. PP 24/2016 Pasal 32 ayat (1): at most 1 % of the transaction
    price, the witnesses' fee included; the office chooses its rate within it. The default is below
    1 % (the Kartoharjo standard: "dibawah 1 % dari nilai transaksi"); 1 % itself only when the
    office sets it (docs/ppat.md, Reading choices)."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="deed_setting")
    fee_rate = models.DecimalField(
        max_digits=5, decimal_places=3, default=DEFAULT_FEE_RATE,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
        help_text="Uang jasa PPAT dalam persen dari harga transaksi (paling tinggi 1%, PP 24/2016 Pasal 32).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengaturan PPAT"
        verbose_name_plural = "pengaturan PPAT"


class PpatAppointment(models.Model):
    """The decree (surat keputusan) appointing a Camat as PPAT Sementara for a working area
    (PP 37/1998 Pasal 5 ayat (3) as amended by PP 24/2016: the Camat is appointed PPAT Sementara
    by the Minister/ Kepala BPN where there are not yet enough PPAT). A deed is signed only by a
    person whose appointment is valid on the signing day (``deeds.policy``)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="ppat_appointments")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="ppat_appointments",
                              help_text="Yang ditunjuk sebagai PPAT Sementara (Camat, atau Plt. Camat).")
    decree_number = models.CharField("nomor SK", max_length=120)
    decree_date = models.DateField("tanggal SK")
    area = models.CharField("daerah kerja", max_length=250, help_text="Wilayah kerja PPAT Sementara, mis. Kecamatan Kartoharjo.")
    valid_from = models.DateField("berlaku mulai")
    valid_until = models.DateField("berlaku sampai", null=True, blank=True,
                                   help_text="Kosong: sampai dicabut atau pejabatnya berganti.")
    scan = models.FileField("pindaian SK", upload_to="ppat-sk/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "-valid_from", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                              name="ppat_appointment_ends_after_start")]
        verbose_name = "SK PPAT Sementara"
        verbose_name_plural = "SK PPAT Sementara"

    def __str__(self) -> str:
        return f"SK {self.decree_number} tanggal {self.decree_date:%d-%m-%Y}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "Tanggal akhir berlaku tidak boleh sebelum tanggal mulai."})
        if self.staff_id and self.office_id and self.staff.office_id != self.office_id:
            raise ValidationError({"staff": "Pegawai ini bukan pegawai kantor ini."})


class TaxRule(models.Model):
    """When a tax proof is required, as data the office keeps: the proof is needed when the
    transaction value is above ``above``. The standard: "Bukti SSB dari Pajak BPHTB dari Badan
    Pendapatan Daerah, bukti SSP/ PPH untuk perolehan tanah lebih dari 60 jt (waris)"; the
    BPHTB threshold is the NPOPTKP of the Perda (Perda Kota Madiun 2/2011)."""

    class Tax(models.TextChoices):
        BPHTB = "bphtb", "BPHTB (bukti SSB)"
        PPH = "pph", "PPh (bukti SSP)"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="deed_tax_rules")
    deed_kind = models.CharField(max_length=20, choices=DeedKind.choices)
    cause = models.CharField(max_length=10, choices=Cause.choices, blank=True, default="",
                             help_text="Pewarisan: its own threshold (UU 1/2022 Pasal 46; PP 34/2016 Pasal 6).")
    tax = models.CharField(max_length=6, choices=Tax.choices)
    above = models.PositiveBigIntegerField(help_text="Bukti wajib bila harga transaksi/ perolehan lebih dari ini (Rp).")
    source = models.TextField("dasar hukum", blank=True,
                              help_text="Peraturan yang menetapkan nilai ini (UU 1/2022 Pasal 46 dan Perda untuk NPOPTKP "
                                        "BPHTB; PP 34/2016 untuk PPh).")
    valid_from = models.DateField("berlaku mulai", default=dt.date(2000, 1, 1),
                                  help_text="Berlaku untuk berkas yang diterima sejak tanggal ini; yang terbaru menggantikan.")

    class Meta:
        ordering = ["office", "deed_kind", "cause", "tax", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["office", "deed_kind", "cause", "tax", "valid_from"],
                                               name="one_tax_rule_per_kind_cause_date")]
        verbose_name = "ketentuan bukti pajak"
        verbose_name_plural = "ketentuan bukti pajak"


class Case(models.Model):
    """Berkas akta tanah: one deed for one parcel, from intake at the front office to the hand
    over of the signed, registered deed."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Diterima front office")
        RETURNED = "returned", _("Dikembalikan ke pemohon")
        PREPARING = "preparing", _("Disiapkan petugas PPAT")
        WAITING = "waiting", _("Menunggu kelengkapan pemohon")
        VALIDATED = "validated", _("Divalidasi Kasi Pemerintahan")
        SCHEDULED = "scheduled", _("Sidang dijadwalkan")
        SIGNED = "signed", _("Ditandatangani Camat selaku PPAT")
        REGISTERED = "registered", _("Dicatat di Buku Register PPAT")
        HANDED_OVER = "handed_over", _("Diserahkan ke pemohon")
        WITHDRAWN = "withdrawn", _("Dibatalkan")

    class LandTitle(models.TextChoices):
        LETTER_C = "letter_c", gettext_noop("Letter C/ Petok D/ persil (belum bersertifikat)")
        SHM = "shm", gettext_noop("Sertifikat Hak Milik")
        SHGB = "shgb", gettext_noop("Sertifikat Hak Guna Bangunan")
        SHP = "shp", gettext_noop("Sertifikat Hak Pakai")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="deed_cases")
    code = models.CharField(max_length=12, unique=True, help_text="Kode lacak.")
    service = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+",
                                help_text="Layanan 17 of the edition in force at intake (checklist, standard time).")
    deed_kind = models.CharField(max_length=20, choices=DeedKind.choices)
    cause = models.CharField(max_length=10, choices=Cause.choices, blank=True, default="",
                             help_text="Pewarisan: a pembagian hak bersama dividing an inheritance.")
    state = models.CharField(max_length=12, choices=State.choices, db_index=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Answers to the checklist's conditions.")
    by_proxy = models.BooleanField(default=False, help_text="Dikuasakan (surat kuasa bermaterai).")

    # the land (objek)
    land_title = models.CharField(max_length=10, choices=LandTitle.choices)
    land_reference = models.CharField(max_length=80, help_text="Nomor Letter C/ persil, or the certificate number.")
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    land_address = models.CharField(max_length=250, blank=True)
    area_m2 = models.PositiveIntegerField(help_text="Luas tanah (m²).")
    nop = models.CharField(max_length=18, help_text="Nomor Objek Pajak PBB (18 digits).")
    njop = models.PositiveBigIntegerField(help_text="NJOP tanah dan bangunan of the SPPT PBB (Rp).")

    # money
    value = models.PositiveBigIntegerField(help_text="Harga transaksi/ nilai perolehan written in the deed (Rp).")
    fee_rate = models.DecimalField(max_digits=5, decimal_places=3, help_text="The office's rate at the quote (%).")
    fee = models.PositiveBigIntegerField(help_text="Uang jasa PPAT (Rp), at most 1 % of the value.")
    fee_free = models.BooleanField(default=False, help_text="Tidak mampu: no fee (PP 24/2016 Pasal 32 ayat (2)).")

    received_at = models.DateTimeField(help_text="Intake at the counter; the clock starts when complete.")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    clock_started_at = models.DateTimeField(null=True, blank=True, help_text="First complete intake.")
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", help_text="Kasi Pemerintahan (validasi).")
    validated_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", help_text="The Camat as PPAT Sementara.")
    signed_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(PpatAppointment, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", help_text="The signer's SK PPAT Sementara on the day.")
    register_entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="deed_case", help_text="Nomor akta: Buku Register PPAT.")
    delivered_on = models.DateField(null=True, blank=True,
                                    help_text="Disampaikan ke Kantor Pertanahan (PP 24/1997 Pasal 40 ayat (1)).")
    delivery_receipt = models.CharField(max_length=80, blank=True, help_text="Nomor tanda terima Kantor Pertanahan.")
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    handed_over_to = models.CharField(max_length=150, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, help_text="Handed over or withdrawn: the clock stops.")
    note = models.TextField(blank=True)
    withdraw_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["office", "state"]), models.Index(fields=["office", "received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(fee_free=False) | Q(fee=0), name="deed_free_means_no_fee"),
            # PP 24/2016 Pasal 32 ayat (1): fee × 100 ≤ value, in the database too
            models.CheckConstraint(condition=Q(fee__lte=models.F("value") / 100), name="deed_fee_at_most_one_percent"),
        ]
        verbose_name = "berkas akta tanah"
        verbose_name_plural = "berkas akta tanah"

    def __str__(self) -> str:
        return f"{self.code} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        """The deed as printed: "Akta Pembagian Hak Bersama (karena pewarisan)" for an inheritance."""
        label = self.get_deed_kind_display()
        return f"{label} (karena pewarisan)" if self.cause == Cause.WARISAN else label


class Party(models.Model):
    """Para pihak: who sells, buys, gives, receives, leaves or inherits, with the share of an heir
    or co-owner as a fraction, and the proxy (kuasa) who acts with a surat kuasa."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=16, choices=PartyRole.choices)
    name = models.CharField(max_length=150)
    nik = models.CharField(max_length=16, help_text="NIK (UU 24/2013 Pasal 13).")
    address = models.CharField(max_length=250, blank=True)
    share_num = models.PositiveIntegerField(null=True, blank=True, help_text="Bagian: numerator.")
    share_den = models.PositiveIntegerField(null=True, blank=True, help_text="Bagian: denominator.")
    proxy_name = models.CharField(max_length=150, blank=True, help_text="Penerima kuasa.")
    proxy_letter = models.CharField(max_length=120, blank=True, help_text="Surat kuasa: nomor dan tanggal.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=(Q(share_num__isnull=True) & Q(share_den__isnull=True))
                                   | (Q(share_num__gte=1) & Q(share_den__gte=1) & Q(share_num__lte=models.F("share_den"))),
                                   name="party_share_is_a_fraction"),
        ]
        verbose_name = "pihak"
        verbose_name_plural = "para pihak"

    @property
    def share_display(self) -> str:
        return f"{self.share_num}/{self.share_den}" if self.share_num else ""


class CaseItem(models.Model):
    """One line of the checklist: a requirement of the edition, present or not."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="items")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)
    original_shown = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "requirement__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "requirement"], name="one_deed_item_per_requirement")]


class TaxProof(models.Model):
    """Bukti pajak: PBB paid for each of the last three years (SPPT and its receipt), the SSB of
    the BPHTB and the SSP of the PPh where the office's TaxRule asks for them."""

    class Kind(models.TextChoices):
        PBB = "pbb", "Pelunasan PBB"
        BPHTB = "bphtb", "SSB BPHTB"
        PPH = "pph", "SSP PPh"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tax_proofs")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(default=0, help_text="Tahun pajak of a PBB receipt; 0 for SSB/SSP.")
    number = models.CharField(max_length=60, help_text="Nomor bukti (STTS, NTPD, NTPN).")
    paid_on = models.DateField()
    amount = models.PositiveBigIntegerField(help_text="Rp")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "kind", "year"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "year"], name="one_proof_per_tax_year")]
        verbose_name = "bukti pajak"
        verbose_name_plural = "bukti pajak"


class CertificateCheck(models.Model):
    """Pengecekan sertipikat: before the deed is made the PPAT has the certificate checked against
    the land office's registers (PP 24/1997 Pasal 39 ayat (1): the PPAT refuses to make the deed
    when the certificate does not match them). For land not yet certified (Letter C) the record is
    the land office's statement that the parcel is not yet certified. The latest check decides."""

    class Result(models.TextChoices):
        SESUAI = "sesuai", _("Sesuai dengan daftar di Kantor Pertanahan")
        TIDAK_SESUAI = "tidak_sesuai", _("Tidak sesuai")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="certificate_checks")
    checked_on = models.DateField(help_text="Tanggal pengecekan di Kantor Pertanahan.")
    result = models.CharField(max_length=12, choices=Result.choices)
    note = models.TextField(blank=True, help_text="Keterangan (wajib bila tidak sesuai).")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "checked_on", "pk"]
        verbose_name = "pengecekan sertipikat"
        verbose_name_plural = "pengecekan sertipikat"


class Pause(models.Model):
    """The clock stands still while the applicant completes documents (from ``started_at`` to
    ``ended_at``); at most one open pause per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["case", "started_at"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(ended_at__isnull=True),
                                               name="one_open_pause_per_case")]


class Signing(models.Model):
    """Sidang penandatanganan: the Camat, the parties and two witnesses (PP 24/1997 Pasal 38)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="signings")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField(max_length=150)
    witness_1 = models.CharField(max_length=150, help_text="Saksi pertama.")
    witness_2 = models.CharField(max_length=150, help_text="Saksi kedua.")
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False, help_text="Moved or called off; its slots are released.")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(cancelled=False),
                                               name="one_live_signing_per_case")]
        verbose_name = "sidang"
        verbose_name_plural = "sidang"

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.minutes)


class SigningSlot(models.Model):
    """Half an hour of the office PPAT's (the Camat's) calendar held by a sidang."""

    signing = models.ForeignKey(Signing, on_delete=models.PROTECT, related_name="slots")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    released = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["office", "start"], condition=Q(released=False),
                                               name="one_live_signing_per_half_hour")]


class Transition(AppendOnlyModel):
    """Riwayat berkas akta: every change of state, appended, never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=Case.State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=Case.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    missing = models.JSONField(default=list, blank=True, help_text="For a return: what is missing.")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "riwayat berkas akta"
        verbose_name_plural = "riwayat berkas akta"
