"""The office (kantor kecamatan), its units, its kelurahan and its staff.

Every other record in Loket belongs to an ``Office``, so that one install can serve one
kecamatan or a whole city (UU 23/2014 on regional government; PP 17/2018 on kecamatan).
"""

import datetime as dt
import re
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from loket.offices.roles import Role

# Letter numbers (nomor naskah dinas). The fields a format may use; {nomor} is the running
# number and must be there. Default: the common pattern of regional governments' tata naskah
# dinas, e.g. 470/12/35.77.01/2026.
LETTER_NUMBER_FIELDS = ("klasifikasi", "nomor", "kode_unit", "tahun", "bulan_romawi")
DEFAULT_LETTER_NUMBER_FORMAT = "{klasifikasi}/{nomor}/{kode_unit}/{tahun}"
EMBLEM_MAX_BYTES = 1024 * 1024


def letter_number_format_check(value: str) -> None:
    """Refuse a letter-number format with an unknown field (naming it) or without {nomor}."""
    if not value:
        return
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError:
        raise ValidationError("Format nomor surat tidak sah: periksa tanda kurung kurawal { }.", code="format")
    names = [name for _, name, spec, conv in parsed if name is not None]
    unknown = sorted({n for n in names if n not in LETTER_NUMBER_FIELDS})
    if unknown:
        raise ValidationError(
            "Kolom tidak dikenal dalam format nomor surat: "
            + ", ".join("{" + n + "}" for n in unknown)
            + ". Yang boleh: " + ", ".join("{" + f + "}" for f in LETTER_NUMBER_FIELDS) + ".",
            code="unknown_field",
        )
    if any(spec or conv for _, name, spec, conv in parsed if name is not None):
        raise ValidationError("Format nomor surat hanya memakai {kolom} tanpa tambahan seperti :03d.", code="format")
    if "nomor" not in names:
        raise ValidationError("Format nomor surat harus memuat {nomor} (nomor urut surat).", code="no_number")


def emblem_check(file) -> None:
    """The office's emblem: a PNG or JPEG image of at most 1 MB, checked by opening it (Pillow),
    not by its name."""
    if not file:
        return
    if file.size > EMBLEM_MAX_BYTES:
        raise ValidationError("Berkas lambang terlalu besar: paling besar 1 MB.", code="too_big")
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("Berkas lambang bukan gambar yang dapat dibaca; unggah PNG atau JPEG.", code="not_image")
    finally:
        file.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise ValidationError(f"Lambang harus berupa gambar PNG atau JPEG, bukan {kind}.", code="kind")


NIP_PATTERN = re.compile(r"^\d{18}$")


def nip_clean(value: str) -> str:
    """A NIP without its printed spaces ("19671010 198903 1 013" → 18 digits)."""
    return re.sub(r"[\s.]", "", value or "")


def nip_check(value: str) -> None:
    """NIP of a PNS: 18 digits (birth date 8, TMT CPNS year and month 6, sex 1, serial 3; PP 17/2020
    and the BKN's NIP format). Empty is allowed: not every staff member is a PNS."""
    if value and not NIP_PATTERN.match(nip_clean(value)):
        raise ValidationError("NIP harus 18 angka (boleh ditulis dengan spasi: 19671010 198903 1 013).", code="nip")


def nip_text(value: str) -> str:
    """A NIP as printed on papers: 8 6 1 3 digits separated by spaces; other text as it is."""
    digits = nip_clean(value)
    if NIP_PATTERN.match(digits):
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return value or ""


def emblem_path(office, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"offices/{office.slug}/lambang.{ext}"


class Office(models.Model):
    """Kantor kecamatan: the organisation that signs and runs a Standar Pelayanan."""

    slug = models.SlugField(max_length=50, unique=True, help_text="Short name used in web addresses, e.g. kartoharjo.")
    region_code = models.CharField(
        max_length=20, unique=True, help_text="Kode wilayah Kemendagri of the kecamatan, e.g. 35.77.01."
    )
    name = models.CharField(max_length=120, help_text='e.g. "Kecamatan Kartoharjo".')
    city = models.CharField(max_length=120, help_text='Kabupaten/kota, e.g. "Kota Madiun".')
    province = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=250, blank=True, help_text="Alamat kantor.")
    telephone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True, help_text="Faksimile.")
    email = models.CharField(max_length=120, blank=True)
    website = models.CharField(max_length=200, blank=True)
    opening_hours = models.TextField(
        "jam pelayanan", blank=True, max_length=500,
        help_text=(
            "Hari dan jam pelayanan loket, satu baris per kelompok hari, mis. \"Senin–Kamis 07.30–15.30\"; "
            "tampil di beranda dan halaman lacak. Sumber: pengumuman kantor atau peraturan kepala daerah "
            "tentang jam kerja. Standar Pelayanan Kartoharjo 2018 tidak menyebut jam pelayanan loket "
            "(jam yang ada hanya jam sewa gedung), jadi setup membiarkannya kosong; standar yang memuatnya "
            "mengisi office.opening_hours."
        ),
    )
    social = models.JSONField(
        default=list, blank=True, help_text='Media sosial: [{"network": "instagram", "account": "…"}].'
    )
    sms_wa = models.JSONField(
        default=list, blank=True, help_text='Nomor SMS/WA pengaduan: [{"label": "Camat", "number": "08…"}].'
    )
    government = models.CharField(
        "pemerintah daerah", max_length=120, blank=True,
        help_text='Baris pertama kop surat, e.g. "PEMERINTAH KOTA MADIUN" (tata naskah dinas daerah).',
    )
    postal_code = models.CharField("kode pos", max_length=10, blank=True)
    emblem = models.ImageField(
        "lambang daerah", upload_to=emblem_path, blank=True, validators=[emblem_check],
        help_text="Lambang pemerintah daerah untuk kop surat: PNG atau JPEG, paling besar 1 MB. Kosong: "
                  "kop memakai tempat kosong bertanda LOGO, bukan lambang.",
    )
    letter_unit_code = models.CharField(
        "kode unit surat", max_length=40, blank=True,
        help_text="Kode unit pengolah dalam nomor surat. Kosong: kode wilayah kecamatan (region_code).",
    )
    letter_number_format = models.CharField(
        "format nomor surat", max_length=120, blank=True, validators=[letter_number_format_check],
        help_text="Kosong: " + DEFAULT_LETTER_NUMBER_FORMAT + ". Kolom yang boleh: "
                  + ", ".join("{" + f + "}" for f in LETTER_NUMBER_FIELDS) + "; {nomor} wajib.",
    )
    head_title = models.CharField(max_length=120, blank=True, help_text='Jabatan pimpinan, e.g. "Camat Kartoharjo".')
    head_name = models.CharField(max_length=120, blank=True, help_text="Nama Camat with academic titles.")
    head_rank = models.CharField(max_length=120, blank=True, help_text='Pangkat/golongan, e.g. "Pembina Tingkat I".')
    head_nip = models.CharField(max_length=30, blank=True, help_text="NIP of the Camat (PP 17/2020: 18 digits).")
    maklumat = models.TextField(
        blank=True,
        help_text="Maklumat Pelayanan: the office's public promise to keep the standard (Permenpan RB 15/2014).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "kantor kecamatan"
        verbose_name_plural = "kantor kecamatan"

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def unit_code(self) -> str:
        """Kode unit in letter numbers: the office's own, else its Kemendagri region code."""
        return self.letter_unit_code or self.region_code

    def number_format(self) -> str:
        """The letter-number format in force (the default when the office set none)."""
        return self.letter_number_format or DEFAULT_LETTER_NUMBER_FORMAT


class Unit(models.Model):
    """Unit kerja: a section (seksi, headed by a Kasi), the subbagian, or the PPAT desk."""

    class Kind(models.TextChoices):
        KASI = "kasi", "Seksi (Kasi)"
        SUBBAG = "subbag", "Subbagian"
        PPAT = "ppat", "PPAT"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="units")
    code = models.SlugField(max_length=40, help_text="e.g. pemerintahan, kesos, trantib.")
    name = models.CharField(max_length=120, help_text='e.g. "Kasi Pemerintahan".')
    kind = models.CharField(max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["office", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="unit_code_per_office")]
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    """Kelurahan in the kecamatan, with its Kemendagri region code (Permendagri 72/2019)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="kelurahan")
    code = models.CharField(max_length=20, help_text="Kode wilayah, e.g. 35.77.01.1001.")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["office", "code"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="kelurahan_code_per_office")]
        verbose_name = "kelurahan"
        verbose_name_plural = "kelurahan"

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    """Pegawai: a user account's place in an office (role and, for a Kasi, the unit).

    The role is also mirrored as a Django group, which carries the permissions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
        help_text="For a Kasi (and the PPAT officer): the unit they head or work in.",
    )
    position = models.CharField(max_length=120, blank=True, help_text='Jabatan as printed, e.g. "Kasi Pemerintahan".')
    nip = models.CharField(
        max_length=30, blank=True, validators=[nip_check],
        help_text="NIP PNS, 18 angka (PP 17/2020; format NIP BKN). Kosong bila bukan PNS.",
    )
    full_name = models.CharField(
        "nama lengkap bergelar", max_length=150, blank=True,
        help_text='Nama dengan gelar akademik seperti dicetak di tanda tangan, e.g. "Dra. SITI AMINAH, M.Si.". '
                  "Kosong: nama akun.",
    )
    rank = models.CharField(
        "pangkat/golongan", max_length=120, blank=True, help_text='e.g. "Penata Tingkat I (III/d)".'
    )

    class Meta:
        ordering = ["office", "role", "user__username"]
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"


class ActingAppointment(models.Model):
    """Plt./Plh.: a staff member who carries out the Camat's or Sekcam's post for a time.

    A Pelaksana Tugas (Plt.) fills a post that is vacant; a Pelaksana Harian (Plh.) fills it while
    its holder is away for a short time. Both sign with the prefix before the post's title and
    act under a written order (surat perintah) of the superior (Surat Edaran Kepala BKN on the
    authority of Plh. and Plt., cited as No. 1/SE/I/2021: number unverified here). The papers
    printed on a day keep the signer resolved for that day."""

    class Post(models.TextChoices):
        CAMAT = "camat", "Camat"
        SEKCAM = "sekcam", "Sekretaris Kecamatan"

    class Kind(models.TextChoices):
        PLT = "plt", "Plt. (Pelaksana Tugas)"
        PLH = "plh", "Plh. (Pelaksana Harian)"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="acting_appointments")
    post = models.CharField("jabatan", max_length=10, choices=Post.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acting_appointments",
        verbose_name="pegawai", help_text="Pegawai kantor ini yang ditunjuk.",
    )
    kind = models.CharField("jenis", max_length=5, choices=Kind.choices)
    decree_number = models.CharField("nomor surat perintah", max_length=120)
    decree_date = models.DateField("tanggal surat perintah")
    starts = models.DateField("mulai")
    ends = models.DateField("sampai", null=True, blank=True, help_text="Kosong: sampai dicabut.")

    class Meta:
        ordering = ["office", "-starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__isnull=True) | models.Q(ends__gte=models.F("starts")),
                name="acting_appointment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["office", "post", "starts"], name="acting_office_post_starts")]
        verbose_name = "Plt./Plh."
        verbose_name_plural = "Plt./Plh."

    def __str__(self) -> str:
        prefix = "Plt." if self.kind == self.Kind.PLT else "Plh."
        return f"{prefix} {self.get_post_display()} ({self.starts:%d-%m-%Y})"

    def covers(self, on: dt.date) -> bool:
        return self.starts <= on and (self.ends is None or on <= self.ends)

    def clean(self):
        errors = {}
        if self.ends and self.starts and self.ends < self.starts:
            errors["ends"] = ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
        if self.user_id and self.office_id:
            staff = getattr(self.user, "staff", None)
            if staff is None or staff.office_id != self.office_id:
                errors["user"] = ["Pegawai yang ditunjuk harus pegawai kantor kecamatan ini."]
        if errors:
            raise ValidationError(errors)


class Holiday(models.Model):
    """Hari libur: a day the office is closed, skipped when counting working days (hari kerja).

    National holidays and cuti bersama come from the yearly Surat Keputusan Bersama of the
    Menteri Agama, Menteri Ketenagakerjaan and Menteri PANRB (for 2026: SKB No. 1497, 2 and 5
    Tahun 2025); the admin adds each new year's table and any local holiday of one office.
    Saturdays and Sundays are never working days for a kecamatan (Perpres 21/2023 on working
    days of ASN: five days a week) and need no row."""

    class Kind(models.TextChoices):
        NATIONAL = "libur_nasional", "Libur nasional"
        JOINT_LEAVE = "cuti_bersama", "Cuti bersama"
        LOCAL = "libur_daerah", "Libur daerah / kantor"

    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=150, help_text='Keterangan, e.g. "Idul Fitri 1447 Hijriah".')
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, null=True, blank=True, related_name="holidays",
        help_text="Empty for a national holiday or cuti bersama; an office for a holiday of that office only.",
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "office"], name="one_holiday_per_day_and_office"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(office__isnull=True), name="one_national_holiday_per_day"
            ),
        ]
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class WorkingHours(models.Model):
    """Jam kerja: when the office serves on one weekday. The standard time of a counter service
    (komponen 4, "5 – 10 menit") runs only in these hours on working days (offices.hours).

    Perpres 21/2023 tentang Hari Kerja dan Jam Kerja Instansi Pemerintah dan Pegawai ASN: five
    working days, Monday to Friday (Pasal 3); 37 jam 30 menit a week without the rest, starting
    07.30 local time, rest 60 minutes and 90 on Friday (Pasal 4; the detail is set by the head of
    the agency). An office without rows has the default of offices.hours.DEFAULT_HOURS, which
    follows that regulation; an office whose regent set other hours enters them here."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Senin"
        TUESDAY = 1, "Selasa"
        WEDNESDAY = 2, "Rabu"
        THURSDAY = 3, "Kamis"
        FRIDAY = 4, "Jumat"
        SATURDAY = 5, "Sabtu"
        SUNDAY = 6, "Minggu"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField("hari", choices=Weekday.choices)
    opens = models.TimeField("mulai", help_text="Jam mulai pelayanan, mis. 07.30.")
    closes = models.TimeField("selesai", help_text="Jam selesai pelayanan, mis. 16.00 (Jumat 16.30).")

    class Meta:
        ordering = ["office", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="one_working_hours_per_weekday"),
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="working_hours_close_after_open"),
        ]
        verbose_name = "jam kerja"
        verbose_name_plural = "jam kerja"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"


class Absence(models.Model):
    """Ketidakhadiran pegawai: the days a staff member of the office is not at work, with the
    paper it rests on (the surat cuti, the surat tugas of a dinas luar or a diklat, the doctor's
    note, the superior's izin).

    Leave of a PNS (cuti tahunan, cuti besar, cuti sakit, cuti melahirkan, cuti karena alasan
    penting, cuti bersama, cuti di luar tanggungan negara) is granted in writing under PP 11/2017
    tentang Manajemen PNS (amended by PP 17/2020) and Peraturan BKN 24/2017 tentang Tata Cara
    Pemberian Cuti PNS; Loket does not grant it, the admin records the days once granted. The
    staff evaluation of the service (Permenpan RB 15/2014, komponen 14 "evaluasi kinerja
    pelaksana") counts the working days each staff member was present from these rows
    (offices.attendance.presence): a weekend or holiday inside an absence is no working day
    and is not counted as absent. ``end`` is the last day away (inclusive)."""

    class Kind(models.TextChoices):
        CUTI = "cuti", "Cuti"
        SAKIT = "sakit", "Sakit"
        DINAS_LUAR = "dinas_luar", "Dinas luar"
        DIKLAT = "diklat", "Pendidikan dan pelatihan"
        IZIN = "izin", "Izin"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="absences")
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="absences", verbose_name="pegawai",
        help_text="Pegawai kantor kecamatan ini yang tidak hadir.",
    )
    kind = models.CharField("jenis", max_length=12, choices=Kind.choices)
    start = models.DateField("mulai", help_text="Hari pertama tidak hadir.")
    end = models.DateField(
        "sampai", help_text="Hari terakhir tidak hadir (ikut dihitung); sehari saja: sama dengan mulai.",
    )
    note = models.CharField(
        "dasar", max_length=200, blank=True,
        help_text="Dasar ketidakhadiran, mis. nomor surat izin cuti (PP 11/2017 tentang Manajemen PNS; Peraturan "
                  "BKN 24/2017 tentang Tata Cara Pemberian Cuti PNS), nomor surat tugas dinas luar atau diklat, "
                  "surat keterangan dokter.",
    )
    created_at = models.DateTimeField("dicatat", auto_now_add=True)

    class Meta:
        ordering = ["office", "-start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="absence_end_not_before_start"),
        ]
        indexes = [
            models.Index(fields=["office", "start"], name="absence_office_start"),
            models.Index(fields=["staff", "start"], name="absence_staff_start"),
        ]
        verbose_name = "ketidakhadiran pegawai"
        verbose_name_plural = "ketidakhadiran pegawai"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d-%m-%Y} s.d. {self.end:%d-%m-%Y}"

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = ["Tanggal sampai tidak boleh sebelum tanggal mulai."]
        if self.staff_id and self.office_id and self.staff.office_id != self.office_id:
            errors["staff"] = ["Pegawai yang tidak hadir harus pegawai kantor kecamatan ini."]
        if errors:
            raise ValidationError(errors)
