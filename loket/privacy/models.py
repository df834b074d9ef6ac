"""Pelindungan data pribadi (UU 27/2022): what the office processes about people, and who answers
for it. Both are the office's own data, kept by its admin, from which Loket renders the public
privacy notice (/<office>/privasi/) — the office is the controller (Pengendali Data Pribadi) of
what its service processes.

Article numbers quoted here were read from secondary copies of the law's text; docs/privacy.md
lists each with its source."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from loket.offices.models import Office


class Processing(models.Model):
    """Catatan kegiatan pemrosesan data pribadi: one activity of the office that processes
    personal data (the counter services, complaints, the survey, the hall, the land deeds, staff
    accounts): which data, for what, on which legal basis (UU 27/2022 Pasal 20 ayat (2)), who
    reads it, where it goes and how long it is kept. Seeded from loket/privacy/data/register.yaml
    by ``loket setup``; the office's admin adjusts it. The public notice shows the active rows in
    their order."""

    class Basis(models.TextChoices):
        # UU 27/2022 Pasal 20 ayat (2) huruf a–f, in the law's order.
        CONSENT = "persetujuan", gettext_noop("Persetujuan yang sah dari subjek data (Pasal 20 ayat (2) huruf a)")
        CONTRACT = "perjanjian", gettext_noop("Pemenuhan kewajiban perjanjian (Pasal 20 ayat (2) huruf b)")
        LEGAL_DUTY = "kewajiban_hukum", gettext_noop("Pemenuhan kewajiban hukum (Pasal 20 ayat (2) huruf c)")
        VITAL = "kepentingan_vital", gettext_noop("Pelindungan kepentingan vital (Pasal 20 ayat (2) huruf d)")
        PUBLIC_TASK = "tugas_publik", gettext_noop(
            "Pelaksanaan tugas dalam rangka kepentingan umum, pelayanan publik, atau pelaksanaan kewenangan "
            "(Pasal 20 ayat (2) huruf e)")
        LEGITIMATE = "kepentingan_sah", gettext_noop("Pemenuhan kepentingan yang sah lainnya (Pasal 20 ayat (2) huruf f)")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="processings")
    key = models.SlugField(max_length=40, help_text='A stable name, e.g. "layanan-loket" (the shipped rows).')
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Shown on the public notice.")
    name = models.CharField("kegiatan", max_length=150, help_text='e.g. "Layanan administrasi di loket".')
    purpose = models.TextField("tujuan", help_text="Why the data are processed, in the citizen's words.")
    data_items = models.TextField("data yang diproses", help_text="One item per line, e.g. NIK, nama, alamat.")
    optional_items = models.TextField(
        "data yang boleh tidak diberikan", blank=True,
        help_text="One item per line: what the citizen may leave out (UU 27/2022: collection limited to the "
                  "purpose), and what follows if they do.")
    source = models.CharField("sumber data", max_length=250, blank=True,
                              help_text='e.g. "Pemohon sendiri (formulir dan dokumen persyaratan)".')
    basis = models.CharField("dasar pemrosesan", max_length=20, choices=Basis.choices)
    legal_reference = models.TextField("peraturan terkait", blank=True,
                                       help_text="The sectoral regulations that ask for the data.")
    readers = models.TextField("yang dapat membaca", help_text="Roles inside the office, one per line.")
    recipients = models.TextField("diberikan kepada", blank=True,
                                  help_text="Outside the office, one per line; empty: nobody outside.")
    retention = models.TextField("jangka waktu penyimpanan",
                                 help_text="How long, and what happens then (anonymised, destroyed per the JRA).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["office", "key"], name="privacy_processing_key_per_office")]
        verbose_name = "kegiatan pemrosesan data pribadi"
        verbose_name_plural = "kegiatan pemrosesan data pribadi"

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def data_list(self) -> list[str]:
        return self._lines(self.data_items)

    @property
    def optional_list(self) -> list[str]:
        return self._lines(self.optional_items)

    @property
    def reader_list(self) -> list[str]:
        return self._lines(self.readers)

    @property
    def recipient_list(self) -> list[str]:
        return self._lines(self.recipients)


class Officer(models.Model):
    """Pejabat pelindungan data pribadi of the office (UU 27/2022 Pasal 53: a controller that
    processes personal data for a public service appoints one): who it is, how citizens reach
    them (shown on the notice) and the decree. One per office; the staff account, when given,
    is the one Loket lets search the access records and answer data-subject requests."""

    office = models.OneToOneField(Office, on_delete=models.PROTECT, related_name="privacy_officer")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", help_text="The staff account of the officer (same office).")
    name = models.CharField("nama", max_length=150, help_text="As shown on the public notice.")
    position = models.CharField("jabatan", max_length=150, help_text='e.g. "Kasubbag Umum dan Keuangan".')
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("telepon", max_length=30, blank=True)
    decree = models.CharField("surat keputusan", max_length=150, blank=True,
                              help_text="Nomor dan tanggal keputusan penunjukan.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pejabat pelindungan data pribadi"
        verbose_name_plural = "pejabat pelindungan data pribadi"

    def __str__(self) -> str:
        return f"{self.name} ({self.office})"

    def clean(self):
        from django.core.exceptions import ValidationError

        staff = getattr(self.user, "staff", None) if self.user_id else None
        if self.user_id and (staff is None or staff.office_id != self.office_id):
            raise ValidationError({"user": "Pejabat pelindungan data pribadi harus pegawai kantor kecamatan ini."})
        if not (self.email or self.telephone):
            raise ValidationError("Isi e-mail atau telepon: warga harus dapat menghubungi pejabat ini.")
