"""Sewa gedung pertemuan (service 18 of the Kartoharjo standard), run by the Bendahara
Penerimaan under the Kasubbag Umum dan Keuangan.

The tariff is data of the edition in force (catalog.Tariff of the hall's service; Perda Kota
Madiun 17/2018 tentang Retribusi Pemakaian Kekayaan Daerah, Perwali Madiun 31/2017 for the
staff fees). A booking takes half-days of a venue (``Slot``): Siang takes the day half, Malam
the evening half, Sehari both; the database's unique key on the live slots refuses a second
booking of a taken half-day, also when two clerks press at the same moment.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop  # plain labels kept in the books, in the catalogue
from django.db.models import Q

from loket.core.history import AppendOnlyModel
from loket.offices.models import Office
from loket.registers.models import RegisterEntry


class Venue(models.Model):
    """Gedung/ ruang yang disewakan, with its capacity and facilities (komponen 7 of the standard)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="venues")
    code = models.SlugField(max_length=40, help_text="e.g. karto-praja.")
    name = models.CharField(max_length=150, help_text='e.g. "Gedung Pertemuan Karto Praja".')
    capacity = models.PositiveIntegerField(help_text="Kapasitas (orang).")
    facilities = models.TextField(blank=True, help_text="Fasilitas, one per line, as the standard lists them.")
    service_code = models.SlugField(max_length=40, default="sewa-gedung",
                                    help_text="The service of the edition whose tariffs apply to this venue.")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["office", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="venue_code_per_office")]
        verbose_name = "gedung"
        verbose_name_plural = "gedung"

    def __str__(self) -> str:
        return self.name

    def facility_list(self) -> list[str]:
        return [line.strip() for line in self.facilities.splitlines() if line.strip()]


class Session(models.TextChoices):
    """Sesi pemakaian of the standard's tariff; the codes are those of the tariff lines."""

    SIANG = "siang", "Siang (07.00–15.00 WIB)"
    MALAM = "malam", "Malam (15.00–20.00 WIB)"
    SEHARI = "sehari", "Sehari (07.00–20.00 WIB)"


# The half-days each session takes: Sehari overlaps both Siang and Malam.
HALVES = {Session.SIANG: ("siang",), Session.MALAM: ("malam",), Session.SEHARI: ("siang", "malam")}


class Booking(models.Model):
    """Pesanan sewa gedung: who, what event, which day(s) and session, the staff asked for, the
    quote as given, and where it stands (inquiry → booked → paid → used, or cancelled)."""

    class State(models.TextChoices):
        INQUIRY = "inquiry", _("Pertanyaan")
        BOOKED = "booked", _("Dipesan")
        PAID = "paid", _("Lunas")
        USED = "used", _("Sudah dipakai")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Channel(models.TextChoices):
        LETTER = "surat", gettext_noop("Surat pesanan")
        PHONE = "telepon", gettext_noop("Telepon")
        IN_PERSON = "langsung", gettext_noop("Datang langsung")

    class RenterType(models.TextChoices):
        OPD = "opd", gettext_noop("OPD (Pemerintah Daerah)")
        AGENCY = "instansi", gettext_noop("Instansi lain")
        PRIVATE = "swasta", gettext_noop("Swasta")
        COMMUNITY = "masyarakat", gettext_noop("Masyarakat")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="bookings")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="bookings")
    code = models.CharField(max_length=12, unique=True, help_text="Kode pesanan.")
    state = models.CharField(max_length=12, choices=State.choices, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, help_text="Surat pesanan/ telepon (standar, persyaratan).")
    renter_type = models.CharField(max_length=12, choices=RenterType.choices)
    renter_name = models.CharField(max_length=150, help_text="Nama pemesan.")
    organisation = models.CharField(max_length=200, blank=True, help_text="OPD/ instansi/ perusahaan/ kelompok.")
    phone = models.CharField(max_length=20, help_text="Telepon/ WhatsApp pemesan.")
    event = models.CharField(max_length=200, help_text="Nama acara.")
    date = models.DateField(help_text="Tanggal pemakaian (hari pertama).")
    days = models.PositiveSmallIntegerField(default=1, help_text="Jumlah hari berturut-turut.")
    session = models.CharField(max_length=10, choices=Session.choices)
    attendance = models.PositiveIntegerField(help_text="Perkiraan jumlah peserta.")
    cleaning = models.BooleanField(default=False, help_text="Petugas kebersihan diminta.")
    security = models.BooleanField(default=False, help_text="Petugas keamanan diminta.")
    parking = models.BooleanField(default=False, help_text="Petugas parkir diminta.")
    government = models.BooleanField(default=False, help_text="Pemakaian oleh Pemerintah Daerah (50 % tarif gedung).")
    quote = models.JSONField(help_text="The quote as given: lines, total, notes, edition year.")
    total = models.PositiveIntegerField(help_text="Jumlah (rupiah) of the quote.")
    note = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    register_entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="booking", help_text="Its line in the Buku Register Penyewa.")
    receipt_entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="booking_receipt", help_text="Nomor kuitansi pembayaran.")
    paid_amount = models.PositiveIntegerField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    skrd_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="booking_skrd",
        help_text="Nomor SKRD (Surat Ketetapan Retribusi Daerah), issued when the booking is registered.")
    skrd_amount = models.PositiveIntegerField(null=True, blank=True, help_text="Retribusi terutang as assessed (rupiah).")
    skrd_due = models.DateField(null=True, blank=True, help_text="Jatuh tempo of the SKRD: the first day of use.")
    deposit = models.ForeignKey("Deposit", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts",
                                help_text="The STS with which the Bendahara deposited this receipt to the Kas Daerah.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["office", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="booking_at_least_one_day"),
            models.CheckConstraint(condition=Q(total__gte=0), name="booking_total_not_negative"),
            models.CheckConstraint(condition=Q(deposit__isnull=True) | Q(paid_at__isnull=False),
                                   name="booking_deposited_only_when_paid"),
        ]
        verbose_name = "pesanan sewa gedung"
        verbose_name_plural = "pesanan sewa gedung"

    def __str__(self) -> str:
        return f"{self.code} {self.event} ({self.date})"


class HallTreasury(models.Model):
    """Office data for the hall's money: how many working days the Bendahara Penerimaan has to
    deposit the receipts to the Kas Daerah, and the account they go to. An office without a row
    uses the defaults (1 working day; docs/rental.md says what is verified of the rule)."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="hall_treasury")
    deposit_working_days = models.PositiveSmallIntegerField(
        default=1, help_text="Batas setor ke Kas Daerah, hari kerja setelah hari penerimaan (bawaan 1).")
    kas_daerah = models.CharField(max_length=200, blank=True,
                                  help_text='Rekening Kas Umum Daerah, e.g. "RKUD Kota Madiun, Bank Jatim 0011223344".')

    class Meta:
        verbose_name = "kas retribusi gedung"
        verbose_name_plural = "kas retribusi gedung"

    def __str__(self) -> str:
        return f"{self.office}: {self.deposit_working_days} hari kerja"


class Deposit(AppendOnlyModel):
    """Setoran ke Kas Daerah: one deposit by the Bendahara Penerimaan of one or more paid
    receipts (kuitansi), with its Surat Tanda Setoran (STS) numbered in the office's STS book;
    the amount is the sum of the receipts. Written once, never changed."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="hall_deposits")
    register_entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="hall_deposit",
                                          help_text="Nomor STS (Buku Register STS).")
    date = models.DateField(help_text="Tanggal setor ke Kas Daerah.")
    reference = models.CharField(max_length=100, help_text="Nomor bukti setor/ validasi bank (Kas Daerah).")
    amount = models.PositiveBigIntegerField(help_text="Jumlah disetor (rupiah): the sum of its receipts.")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["office", "date"])]
        verbose_name = "setoran ke kas daerah"
        verbose_name_plural = "setoran ke kas daerah"

    def __str__(self) -> str:
        return f"STS {self.register_entry} ({self.date})"


class Slot(models.Model):
    """One half-day of a venue held by a booking (booked, paid or used). The unique key among
    slots not released is what makes a double booking impossible in the database itself; a
    cancelled booking releases its slots (kept, marked, as history)."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="slots")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    half = models.CharField(max_length=6, choices=[("siang", "Siang"), ("malam", "Malam")])
    released = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "half"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "date", "half"], condition=Q(released=False),
                                    name="one_live_booking_per_venue_half_day"),
        ]
        verbose_name = "slot gedung"
        verbose_name_plural = "slot gedung"


class Transition(AppendOnlyModel):
    """Riwayat pesanan: every change of state, appended, never edited."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=Booking.State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=Booking.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "riwayat pesanan"
        verbose_name_plural = "riwayat pesanan"
