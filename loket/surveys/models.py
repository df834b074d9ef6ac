"""Stored answers of the Survei Kepuasan Masyarakat (Permenpan RB 14/2017).

One row per respondent, one column per element (the nine keys of ``ikm.KEYS``), so that the
IKM of any period, service or unit is one aggregate query (SUM and COUNT per column) however
many responses there are. An empty answer is NULL (not answered) and counts for nothing.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q

from loket.catalog.models import ServiceType
from loket.core.history import AppendOnlyModel
from loket.offices.models import Office, Unit
from loket.surveys.ikm import KEYS


def _answer_field(label: str):
    return models.PositiveSmallIntegerField(null=True, blank=True, help_text=f"{label}: 1–4, empty = not answered.")


class Response(AppendOnlyModel):
    """Satu kuesioner SKM: the nine answers and the respondent's profile."""

    class Source(models.TextChoices):
        FORM = "form", "Formulir web (QR tanda terima)"
        KIOSK = "kiosk", "Kios/ tablet di loket"
        PAPER = "paper", "Kuesioner kertas (impor)"

    class Sex(models.TextChoices):
        MALE = "L", "Laki-laki"
        FEMALE = "P", "Perempuan"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey(ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                help_text="The service received, if known.")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text="The service's unit when answered (reports per unit).")
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="survey_response",
        help_text="The dossier whose receipt QR led here: one response per dossier.",
    )
    date = models.DateField(help_text="Tanggal survei (Asia/Jakarta).")
    source = models.CharField(max_length=10, choices=Source.choices)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    education = models.CharField(max_length=100, blank=True, help_text="Pendidikan.")
    occupation = models.CharField(max_length=100, blank=True, help_text="Pekerjaan.")
    suggestion = models.TextField(blank=True, help_text="Saran.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text="The clerk who imported it; empty for the public.")

    persyaratan = _answer_field("Persyaratan")
    prosedur = _answer_field("Sistem, mekanisme dan prosedur")
    waktu = _answer_field("Waktu penyelesaian")
    biaya = _answer_field("Biaya/ tarif")
    produk = _answer_field("Produk spesifikasi jenis pelayanan")
    kompetensi = _answer_field("Kompetensi pelaksana")
    perilaku = _answer_field("Perilaku pelaksana")
    pengaduan = _answer_field("Penanganan pengaduan, saran dan masukan")
    sarana = _answer_field("Sarana dan prasarana")

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["office", "date"]), models.Index(fields=["office", "service", "date"])]
        constraints = [
            *[models.CheckConstraint(condition=Q(**{f"{k}__isnull": True}) | Q(**{f"{k}__gte": 1, f"{k}__lte": 4}),
                                     name=f"survey_{k}_1_to_4") for k in KEYS],
            models.CheckConstraint(condition=reduce(operator.or_, (Q(**{f"{k}__isnull": False}) for k in KEYS)),
                                   name="survey_at_least_one_answer"),
        ]
        verbose_name = "respons SKM"
        verbose_name_plural = "respons SKM"

    def answers(self) -> dict[str, int | None]:
        return {k: getattr(self, k) for k in KEYS}


class Setting(models.Model):
    """Pengaturan SKM kantor. The weight of each element: exactly 1/9 (the default), or the
    rounded 0.111 or 0.11 that some offices' past reports used (Permenpan RB 14/2017 prints the
    weighted value as 0.111); every report and publication says which weight it used."""

    class Weight(models.TextChoices):
        EXACT = "exact", "1/9 (tepat)"
        W0111 = "0.111", "0,111 (dibulatkan)"
        W011 = "0.11", "0,11 (dibulatkan)"

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="survey_setting")
    weight = models.CharField(max_length=5, choices=Weight.choices, default=Weight.EXACT,
                              help_text="Bobot tiap unsur dalam IKM.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = "pengaturan SKM"
        verbose_name_plural = "pengaturan SKM"

    def __str__(self) -> str:
        return f"SKM {self.office}: bobot {self.get_weight_display()}"


class Publication(AppendOnlyModel):
    """Hasil IKM yang dipublikasikan: the result of a period as the Camat or Sekcam published it
    (Permenpan RB 14/2017 Bab IV: the result is published and shown at the service place — the
    seed's "Hasil nilai Indeks Kepuasan Masyarakat" board). A snapshot, append-only: later
    responses do not change a published result; publishing again adds a newer row, and the
    public board shows the newest."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="survey_publications")
    period_kind = models.CharField(max_length=10, help_text="bulan, triwulan, semester or tahun.")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(help_text="The period's number within the year.")
    start = models.DateField()
    end = models.DateField()
    period_label = models.CharField(max_length=40, help_text='e.g. "Semester I 2026".')
    weight = models.CharField(max_length=5, choices=Setting.Weight.choices)
    respondents = models.PositiveIntegerField()
    ikm_unit = models.DecimalField(max_digits=5, decimal_places=2, help_text="Nilai IKM unit pelayanan (25–100).")
    grade = models.CharField(max_length=1, help_text="Mutu pelayanan A–D.")
    grade_label = models.CharField(max_length=20, help_text="Kinerja unit pelayanan, e.g. Baik.")
    data = models.JSONField(help_text="The report as published: NRR per element, per service, sample size.")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["office", "-published_at"])]
        verbose_name = "publikasi IKM"
        verbose_name_plural = "publikasi IKM"

    def __str__(self) -> str:
        return f"IKM {self.period_label}: {self.ikm_unit} ({self.grade})"
