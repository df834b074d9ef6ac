"""What the leadership publishes: the month's service figures for the public (issue 18 item 5).

UU 25/2009 Pasal 15 huruf c and Pasal 21 ask a service provider to publish its standard and
information on the service; Permenpan RB 15/2014 (komponen 14, evaluasi kinerja pelaksana)
asks that performance be evaluated and improved. The Camat publishes a month's aggregate —
volumes, the share on time, per service and per kelurahan, no person named — the way the IKM
result is published (surveys.Publication)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from loket.core.history import AppendOnlyModel
from loket.offices.models import Office


class Publication(AppendOnlyModel):
    """Publikasi kinerja pelayanan: a frozen snapshot of one month's Laporan kinerja pelayanan
    (leadership.selectors.service_report), shown on /<office>/kinerja/. Append-only: a month
    published again (a late correction) is a new row, and the newest of a month is shown."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="performance_publications")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    period_label = models.CharField(max_length=40, help_text='e.g. "November 2026".')
    data = models.JSONField(help_text="The figures as published: total, per service, per kelurahan (no names).")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "-month", "-published_at", "-pk"]
        indexes = [models.Index(fields=["office", "year", "month"])]
        verbose_name = "publikasi kinerja pelayanan"
        verbose_name_plural = "publikasi kinerja pelayanan"


class FollowUp(AppendOnlyModel):
    """Tindak lanjut pengawasan internal: what the Camat or the Sekcam noted and decided about an
    item of the oversight list (Permenpan RB 15/2014, komponen 9, pengawasan internal:
    supervision by the direct superior). One row per note, append-only; the newest row of an
    item is its status. The item is named by a key (``late:<code>``, ``returns:<code>``, …; see
    leadership.oversight.KINDS), not a foreign key, because it may be a dossier, a complaint or a
    deed."""

    class Status(models.TextChoices):
        FOLLOWING = "ditindaklanjuti", "Sedang ditindaklanjuti"
        DONE = "selesai", "Selesai"
        NO_ACTION = "tidak_perlu", "Tidak perlu tindak lanjut"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="follow_ups")
    key = models.CharField(max_length=60, help_text='The item, e.g. "late:AB12CD34" (leadership.oversight).')
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(help_text="Catatan tindak lanjut: what was found and what was decided.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["office", "key", "at", "pk"]
        indexes = [models.Index(fields=["office", "key", "at"])]
        verbose_name = "tindak lanjut pengawasan"
        verbose_name_plural = "tindak lanjut pengawasan"


class Assessment(AppendOnlyModel):
    """Penilaian kinerja pelaksana: the Camat's or the Sekcam's assessment of one staff member for
    one period (Permenpan RB 15/2014, komponen 14, evaluasi kinerja pelaksana; the aspects are
    the standard's own list for that component), with the follow-up agreed, signed by the
    evaluator's name. Append-only: a second assessment of the same period is a new row (the
    newest is current, the earlier ones stay readable). The figures the evaluator saw are kept
    with it (``figures``), so the signed sheet can be reprinted as it was."""

    class Rating(models.TextChoices):
        # Printed in Indonesian on the sheet; the page shows them through gettext.
        GOOD = "baik", gettext_noop("Baik")
        FAIR = "cukup", gettext_noop("Cukup")
        IMPROVE = "perlu_perbaikan", gettext_noop("Perlu perbaikan")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="assessments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              help_text="Pegawai yang dinilai.")
    period_kind = models.CharField(max_length=10, help_text="bulan, triwulan, semester or tahun (surveys.periods).")
    period_year = models.PositiveSmallIntegerField()
    period_number = models.PositiveSmallIntegerField()
    period_label = models.CharField(max_length=40, help_text='e.g. "Triwulan IV 2026".')
    aspects = models.JSONField(default=list, blank=True,
                               help_text='Per aspect of komponen 14: [{"aspect": text, "rating": "baik"|"cukup"|'
                                         '"perlu_perbaikan"}]; an aspect not rated is left out.')
    assessment = models.TextField(help_text="Penilaian: what the evaluator found, in their own words.")
    follow_up = models.TextField(help_text="Tindak lanjut: what was agreed (coaching, training, a change of task).")
    figures = models.JSONField(help_text="The measured figures as shown when assessed (leadership.evaluation).")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evaluator_name = models.CharField(max_length=150, help_text="The evaluator's name as printed, with titles.")
    evaluator_position = models.CharField(max_length=120)
    evaluator_nip = models.CharField(max_length=30, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["office", "staff", "period_year", "period_kind", "period_number"])]
        verbose_name = "penilaian kinerja pelaksana"
        verbose_name_plural = "penilaian kinerja pelaksana"
