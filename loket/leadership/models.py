"""What the leadership publishes: the month's service figures for the public (issue 18 item 5).

UU 25/2009 Pasal 15 huruf c and Pasal 21 ask a service provider to publish its standard and
information on the service; Permenpan RB 15/2014 (komponen 14, evaluasi kinerja pelaksana)
asks that performance be evaluated and improved. The Camat publishes a month's aggregate —
volumes, the share on time, per service and per kelurahan, no person named — the way the IKM
result is published (surveys.Publication)."""

from django.conf import settings
from django.db import models

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
