"""The office (kantor kecamatan), its units, its kelurahan and its staff.

Every other record in Loket belongs to an ``Office``, so that one install can serve one
kecamatan or a whole city (UU 23/2014 on regional government; PP 17/2018 on kecamatan).
"""

from django.conf import settings
from django.db import models

from loket.offices.roles import Role


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
    nip = models.CharField(max_length=30, blank=True, help_text="NIP of the civil servant, if any.")

    class Meta:
        ordering = ["office", "role", "user__username"]
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"


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
