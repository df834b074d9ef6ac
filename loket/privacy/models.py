"""Pelindungan data pribadi (UU 27/2022): what the office processes about people, and who answers
for it. Both are the office's own data, kept by its admin, from which Loket renders the public
privacy notice (/<office>/privasi/) — the office is the controller (Pengendali Data Pribadi) of
what its service processes.

Article numbers quoted here were read from secondary copies of the law's text; docs/privacy.md
lists each with its source."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from loket.core.history import AppendOnlyModel
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


# --- Issue 19 items 3-6: who read what, requests of the data subjects, breaches, retention ---------




class Access(AppendOnlyModel):
    """Catatan akses data pribadi: one showing of a person's full NIK, KK number, telephone or
    address to a staff member, or one export that contains them (UU 27/2022 Pasal 31: the
    controller records every processing activity; Pasal 32: the subject may see that record).

    A screen writes one row per record shown (``subject_nik`` set when the record has a NIK). An
    export writes one row for the whole file, with the flow and the period it covered
    (``period_start``/``period_end``), so the citizen's access export can say "your line was in
    the register exported by X on Y" without one row per line. Append-only; removed only by the
    retention schedule (privacy retention) when its period has passed."""

    class Kind(models.TextChoices):
        DOSSIER = "berkas", gettext_noop("Berkas pelayanan")
        REGISTER = "register", gettext_noop("Buku register")
        COMPLAINT = "pengaduan", gettext_noop("Pengaduan")
        BOOKING = "sewa", gettext_noop("Sewa aula")
        DEED = "akta", gettext_noop("Akta PPAT")
        REQUEST = "permintaan", gettext_noop("Permintaan subjek data")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    record = models.CharField(max_length=40, blank=True,
                              help_text="The record's code (kode lacak, register number); empty for an export.")
    subject_nik = models.CharField(max_length=16, blank=True, db_index=True,
                                   help_text="Whose data were shown, when the record has a NIK.")
    fields = models.CharField(max_length=120, help_text='What was shown in full, e.g. "NIK, alamat, telepon".')
    purpose = models.CharField(max_length=120,
                               help_text='Where: the screen or export, e.g. "Halaman berkas", "Ekspor buku register (XLSX)".')
    period_start = models.DateField(null=True, blank=True, help_text="For an export: the first day it covered.")
    period_end = models.DateField(null=True, blank=True, help_text="For an export: the last day it covered.")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["office", "at"]), models.Index(fields=["office", "kind", "record"])]
        verbose_name = "catatan akses data pribadi"
        verbose_name_plural = "catatan akses data pribadi"


class Request(models.Model):
    """Permintaan subjek data pribadi: a citizen asks the office, in person or through the
    officer, to see, correct, delete or restrict what it holds about them, or objects to its
    processing (UU 27/2022 Pasal 5-13: the rights; Pasal 30, 32, 41: the controller's 3 x 24
    hour deadlines). Recorded by staff after checking the requester's identity; answered by the
    data protection officer or the Camat. Its history is ``RequestStep``."""

    class Kind(models.TextChoices):
        ACCESS = "akses", gettext_noop("Akses dan salinan data pribadi")
        CORRECTION = "pembetulan", gettext_noop("Pembetulan atau pemutakhiran data")
        DELETION = "penghapusan", gettext_noop("Pengakhiran pemrosesan, penghapusan atau pemusnahan")
        RESTRICTION = "pembatasan", gettext_noop("Penundaan atau pembatasan pemrosesan")
        OBJECTION = "keberatan", gettext_noop("Keberatan atas pemrosesan")

    class State(models.TextChoices):
        RECEIVED = "diterima", gettext_noop("Diterima")
        ANSWERED = "dijawab", gettext_noop("Dijawab")
        REFUSED = "ditolak", gettext_noop("Ditolak")

    class Identity(models.TextChoices):
        KTP = "ktp", gettext_noop("KTP-el asli diperiksa")
        KK = "kk", gettext_noop("KK asli dan identitas lain diperiksa")
        PROXY = "kuasa", gettext_noop("Surat kuasa dan KTP-el pemberi serta penerima kuasa diperiksa")
        OFFICER = "pejabat", gettext_noop("Dikenal langsung oleh pejabat (dicatat alasannya)")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="privacy_requests")
    code = models.CharField(max_length=12, unique=True, help_text="Kode lacak (same alphabet as dossiers).")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    nik = models.CharField(max_length=16, db_index=True, help_text="NIK of the data subject.")
    name = models.CharField(max_length=150)
    contact = models.CharField(max_length=150, blank=True, help_text="Telephone or e-mail for the answer; optional.")
    identity = models.CharField(max_length=10, choices=Identity.choices,
                                help_text="How the requester's identity was checked (no copy is kept).")
    identity_note = models.CharField(max_length=250, blank=True,
                                     help_text="e.g. the proxy's name, or why the officer knows the requester.")
    details = models.TextField(help_text="What the requester asks, in their words (for a correction: what is wrong).")
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True,
                                  help_text="The legal deadline (3 x 24 hours where the law sets one); empty where it sets none.")
    answer = models.TextField(blank=True, help_text="The answer given to the requester (or the reason for refusing).")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["office", "state", "received_at"])]
        verbose_name = "permintaan subjek data pribadi"
        verbose_name_plural = "permintaan subjek data pribadi"

    def __str__(self) -> str:
        return self.code


class RequestStep(AppendOnlyModel):
    """Riwayat permintaan subjek data: one step (who, when, from, to, note). Append-only."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=30, help_text="The act, e.g. record, answer, refuse, export.")
    from_state = models.CharField(max_length=10, choices=Request.State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=Request.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "at", "pk"]
        verbose_name = "riwayat permintaan subjek data"
        verbose_name_plural = "riwayat permintaan subjek data"


class Breach(models.Model):
    """Kegagalan pelindungan data pribadi: a breach the office knows of (UU 27/2022 Pasal 46:
    written notice within 3 x 24 hours to the data subjects and the authority, saying which data
    were disclosed, when and how, and what is done to handle and recover). The clock runs from
    ``known_at``. Recorded and handled by the data protection officer or the Camat; every act
    is a ``BreachStep``."""

    class State(models.TextChoices):
        OPEN = "terbuka", gettext_noop("Sedang ditangani")
        CLOSED = "ditutup", gettext_noop("Ditutup")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="privacy_breaches")
    code = models.CharField(max_length=12, unique=True, help_text="Kode (same alphabet as dossiers).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    title = models.CharField(max_length=200, help_text='One line, e.g. "Laptop loket hilang".')
    description = models.TextField(help_text="What happened and how the data were disclosed (Pasal 46 ayat (2) huruf b).")
    occurred_at = models.DateTimeField(null=True, blank=True, help_text="When it happened, if known.")
    known_at = models.DateTimeField(help_text="When the office came to know of it: the 3 x 24-hour clock starts here.")
    data_affected = models.TextField(help_text="Which personal data were disclosed (Pasal 46 ayat (2) huruf a).")
    subjects_affected = models.TextField(help_text="Whose data: which people or groups, as far as known.")
    subjects_count = models.PositiveIntegerField(null=True, blank=True, help_text="How many people, if known.")
    actions = models.TextField(help_text="What is done to handle it and recover (Pasal 46 ayat (2) huruf c).")
    authority = models.CharField(
        max_length=250, default="Lembaga Pelindungan Data Pribadi",
        help_text="The addressee of the authority's letter (UU 27/2022 Pasal 58: the agency named by the "
                  "President); edit it to the office currently designated.")
    subjects_notified_at = models.DateTimeField(null=True, blank=True)
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-known_at", "-pk"]
        indexes = [models.Index(fields=["office", "state", "known_at"])]
        verbose_name = "kegagalan pelindungan data pribadi"
        verbose_name_plural = "kegagalan pelindungan data pribadi"

    def __str__(self) -> str:
        return self.code


class BreachStep(AppendOnlyModel):
    """Riwayat penanganan kegagalan pelindungan data: recorded, an action taken, the subjects
    notified, the authority notified, closed. Append-only."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=30, help_text="The act, e.g. record, act, notify_subjects, notify_authority, close.")
    from_state = models.CharField(max_length=10, choices=Breach.State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=Breach.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["breach", "at", "pk"]
        verbose_name = "riwayat penanganan kegagalan pelindungan data"
        verbose_name_plural = "riwayat penanganan kegagalan pelindungan data"


class RetentionPeriod(models.Model):
    """Jangka waktu penyimpanan per jenis catatan, set by the office (UU 27/2022 Pasal 42-44:
    end processing, delete and destroy when the retention period has passed, per the archive
    retention schedule). ``loket retention`` reads these; the shipped defaults and their sources
    are in loket/privacy/data/retention.yaml and docs/privacy.md."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="retention_periods")
    kind = models.CharField(max_length=40, help_text="The record type (privacy retention KINDS).")
    months = models.PositiveIntegerField(help_text="Kept this many months after the record closed; then anonymised or deleted.")
    source = models.TextField(blank=True, help_text="Where the period comes from (JRA, regulation, office decision).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["office", "kind"]
        constraints = [models.UniqueConstraint(fields=["office", "kind"], name="privacy_retention_kind_per_office")]
        verbose_name = "jangka waktu penyimpanan"
        verbose_name_plural = "jangka waktu penyimpanan"

    def __str__(self) -> str:
        return f"{self.kind}: {self.months} bulan"


class RetentionRun(AppendOnlyModel):
    """Pelaksanaan retensi: one applied run of ``loket retention --apply`` for an office: what was
    anonymised or deleted, per record type (counts only, no personal data). Append-only: the
    office's proof that data were removed when due."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.CharField(max_length=150, help_text="Who ran it (the system user or the staff account).")
    counts = models.JSONField(help_text='Per record type: {"kind": {"anonymised": n, "deleted": n}}.')

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "pelaksanaan retensi"
        verbose_name_plural = "pelaksanaan retensi"
