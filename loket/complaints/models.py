"""Pengaduan, konsultasi, saran dan permintaan informasi from every channel, and their history.

Component 10 of every service of the standard ("Penanganan pengaduan, saran dan masukan") and
its two flowcharts: complaints come in face to face, by telephone, letter, e-mail, SMS,
WhatsApp, Messenger, Instagram, Facebook, the website or the suggestion box; they are
"diagendakan/ diregister Buku Pengaduan dan dikelompokkan sesuai dengan permasalahannya"; the
front office answers what it can, otherwise passes it to the back office (Kasi/ Subbag Umum),
which answers or asks the Camat/Sekcam for direction (arahan); questions that need another
agency, OPD or kelurahan wait for "hasil konsultasi/ koordinasi/ konfirmasi" before the answer
goes back "secara lisan/ surat/ SMS/ WA/ via telpon"; problems in a kelurahan or community go
to a musyawarah.

Legal basis: UU 25/2009 on public services, Bab VIII (Pengelolaan Pengaduan, Pasal 36–50);
Perpres 76/2013 on the management of public-service complaints; Permenpan RB 62/2018 (the
national guideline, SP4N-LAPOR!). Deadlines: see docs/complaints.md and ``deadlines.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from loket.catalog.models import ServiceType
from loket.core.history import AppendOnlyModel
from loket.offices.models import Office, Unit
from loket.registers.models import RegisterEntry


class Category(models.Model):
    """Kelompok permasalahan: the office's category tree, maintained by the admin. A category
    may set a tighter target than the default of its kind (e.g. ringan: 2 hari kerja)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="complaint_categories")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    name = models.CharField(max_length=120)
    target_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Target penyelesaian dalam hari kerja; kosong = target bawaan jenis pengaduan (docs/complaints.md).",
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Inactive categories stay on old complaints but are no longer offered.")

    class Meta:
        ordering = ["office", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "parent", "name"], name="category_name_per_parent")]
        verbose_name = "kategori pengaduan"
        verbose_name_plural = "kategori pengaduan"

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Complaint(models.Model):
    """One item of the Buku Pengaduan: a complaint, question, suggestion or request for information."""

    # Kind, channel and reply: plain Indonesian labels (they go into the Buku Pengaduan's notes and
    # subjects), marked for the catalogue; the staff screens show them through gettext (views.shown).
    class Kind(models.TextChoices):
        COMPLAINT = "pengaduan", gettext_noop("Pengaduan")
        CONSULTATION = "konsultasi", gettext_noop("Konsultasi/ pertanyaan")
        SUGGESTION = "saran", gettext_noop("Saran/ masukan")
        INFORMATION = "informasi", gettext_noop("Permintaan informasi")

    class Channel(models.TextChoices):
        FACE_TO_FACE = "tatap_muka", gettext_noop("Tatap muka (datang langsung)")
        TELEPHONE = "telepon", gettext_noop("Telepon")
        LETTER = "surat", gettext_noop("Surat")
        EMAIL = "email", "E-mail"
        SMS = "sms", "SMS"
        WHATSAPP = "whatsapp", "WhatsApp"
        MESSENGER = "messenger", "Messenger"
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        WEBSITE = "website", "Website"
        SUGGESTION_BOX = "kotak_saran", gettext_noop("Kotak saran/ pengaduan")
        # The national channel (Perpres 76/2013; Permenpan RB 62/2018): a report on lapor.go.id,
        # SMS 1708 or the LAPOR! app, forwarded to the office; kept with its tracking number.
        LAPOR = "lapor", "SP4N-LAPOR!"

    class ReplyVia(models.TextChoices):
        IN_PERSON = "lisan", gettext_noop("Lisan (datang ke kantor)")
        TELEPHONE = "telepon", gettext_noop("Telepon")
        LETTER = "surat", gettext_noop("Surat")
        EMAIL = "email", "E-mail"
        SMS = "sms", "SMS"
        WHATSAPP = "whatsapp", "WhatsApp"
        MESSENGER = "messenger", "Messenger"
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        WEBSITE = "website", gettext_noop("Halaman lacak di website (dengan kode)")
        LAPOR = "lapor", gettext_noop("Tindak lanjut di SP4N-LAPOR! (diisi operator)")

    class State(models.TextChoices):
        RECEIVED = "received", _("Ditangani loket pelayanan")
        ESCALATED = "escalated", _("Diteruskan ke back office")
        DIRECTION_REQUESTED = "direction_requested", _("Menunggu arahan Camat/ Sekcam")
        DIRECTED = "directed", _("Arahan diberikan")
        COORDINATING = "coordinating", _("Menunggu koordinasi")
        ANSWERED = "answered", _("Dijawab")
        REOPENED = "reopened", _("Dibuka kembali")
        CLOSED = "closed", _("Selesai")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="complaints")
    code = models.CharField(max_length=12, unique=True, help_text="Kode lacak (same alphabet as dossiers).")
    register_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, related_name="complaint",
        help_text="The line of the Buku Pengaduan, numbered per office and year.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints")
    service = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints",
        help_text="The service the complaint is about, if any.",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints",
        help_text="The unit concerned; once escalated, the back office that handles it.",
    )
    anonymous = models.BooleanField(
        default=False, help_text="Identitas dirahasiakan / tanpa nama (UU 25/2009 Pasal 43 ayat 1; Perpres 76/2013).",
    )
    name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="Telepon/ SMS/ WhatsApp.")
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=250, blank=True, help_text="Alamat, for an answer by letter.")
    account = models.CharField(max_length=100, blank=True, help_text="Akun media sosial, for an answer by Messenger/ Instagram/ Facebook.")
    reply_via = models.CharField(max_length=20, choices=ReplyVia.choices, help_text="How the complainant wants the answer.")
    subject = models.CharField(max_length=200, help_text="Pokok masalah, one line.")
    text = models.TextField(help_text="Uraian as the complainant gave it.")
    state = models.CharField(max_length=20, choices=State.choices, db_index=True)
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty for the public web form.",
    )
    clock_started_at = models.DateTimeField(help_text="Receipt, or the last reopening: the target counts from here.")
    target_days = models.PositiveSmallIntegerField(help_text="Target in working days, fixed at receipt.")
    due_date = models.DateField(help_text="Batas waktu target (hari kerja).")
    legal_due_date = models.DateField(help_text="Batas waktu menurut UU 25/2009 Pasal 50 ayat (1): 60 hari.")
    lapor_number = models.CharField(
        max_length=12, blank=True,
        help_text="Nomor tracking SP4N-LAPOR! (digits only), unique per office; only for the channel LAPOR.",
    )
    lapor_forward_due = models.DateField(
        null=True, blank=True,
        help_text="LAPOR! only: verified and forwarded (ditelaah/ didisposisi) within 3 working days (docs/complaints.md).",
    )
    lapor_followup_due = models.DateField(
        null=True, blank=True,
        help_text="LAPOR! only: the agency's follow-up within 5 working days (docs/complaints.md).",
    )
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    satisfied = models.BooleanField(null=True, blank=True, help_text="The complainant's last word on the answer.")
    staff_named = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="pegawai yang diadukan",
        help_text="Pegawai yang diadukan: the office's staff member whose conduct the complaint is about, as "
                  "recorded by the office (UU 25/2009 Pasal 40 ayat (3) huruf b: a complaint against a pelaksana "
                  "who served below the standard; Pasal 41 ayat (2): the pelaksana's superior sanctions). Internal: "
                  "shown to the Camat and the Sekcam only (policy.may_see_staff_named), never on the public pages, "
                  "the tracking page or the public API, never logged.",
    )
    direction_to_front = models.BooleanField(
        default=False,
        help_text="The last direction was asked by the front office directly (skipping the back office): it goes back there.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    OPEN_STATES = (
        State.RECEIVED, State.ESCALATED, State.DIRECTION_REQUESTED, State.DIRECTED, State.COORDINATING, State.REOPENED,
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["office", "state", "due_date"]),
            models.Index(fields=["office", "received_at"]),
            models.Index(fields=["office", "unit", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["office", "lapor_number"], condition=~models.Q(lapor_number=""),
                                    name="complaint_lapor_number_per_office"),
        ]
        verbose_name = "pengaduan"
        verbose_name_plural = "pengaduan"

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Step(AppendOnlyModel):
    """Riwayat pengaduan: one step (who, when, from, to, what was done, note). Append-only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(max_length=30, help_text="The act, e.g. intake, escalate, answer.")
    from_state = models.CharField(max_length=20, choices=Complaint.State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=Complaint.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty when the complainant acted (web form, feedback on the tracking page).",
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True, help_text="Internal: never shown on the public tracking page.")

    class Meta:
        ordering = ["complaint", "at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"])]
        verbose_name = "riwayat pengaduan"
        verbose_name_plural = "riwayat pengaduan"


class Answer(AppendOnlyModel):
    """Jawaban/ tanggapan as sent to the complainant. Final once sent: a correction is a new
    answer that names the one it corrects."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField()
    reply_via = models.CharField(max_length=20, choices=Complaint.ReplyVia.choices)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")

    class Meta:
        ordering = ["complaint", "sent_at", "pk"]
        verbose_name = "jawaban pengaduan"
        verbose_name_plural = "jawaban pengaduan"


class Coordination(models.Model):
    """Konsultasi/ koordinasi/ konfirmasi with another agency, OPD or kelurahan, or a musyawarah
    in the kelurahan/ community, that the answer waits for. The request is written once; the
    result is written once (answered_at empty → set), never changed afterwards."""

    class Kind(models.TextChoices):
        AGENCY = "instansi", gettext_noop("Instansi/ OPD lain")
        KELURAHAN = "kelurahan", gettext_noop("Kelurahan")
        MEETING = "musyawarah", gettext_noop("Musyawarah/ rapat koordinasi")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="coordinations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    party = models.CharField(max_length=200, help_text="With whom: the agency, OPD or kelurahan; for a meeting, who attends.")
    question = models.TextField(help_text="What was asked, or the meeting's agenda.")
    meeting_date = models.DateField(null=True, blank=True, help_text="For a musyawarah: the date it is (or was) held.")
    asked_at = models.DateTimeField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resume_state = models.CharField(
        max_length=20, choices=Complaint.State.choices, help_text="Where the complaint goes back when the result is in."
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    result = models.TextField(blank=True, help_text="The answer received, or the meeting's outcome.")

    class Meta:
        ordering = ["complaint", "asked_at", "pk"]
        verbose_name = "koordinasi pengaduan"
        verbose_name_plural = "koordinasi pengaduan"


class Attachment(models.Model):
    """Lampiran: an image or PDF, checked by content (loket.core.uploads), stored outside any
    served folder and sent only to staff of the office."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="pengaduan/%Y/%m/")
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, help_text="pdf, jpeg or png, from the file's first bytes.")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["complaint", "pk"]
        verbose_name = "lampiran pengaduan"
        verbose_name_plural = "lampiran pengaduan"

    CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.kind]
