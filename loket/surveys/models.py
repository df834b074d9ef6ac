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
from loket.offices.models import Office, Unit
from loket.surveys.ikm import KEYS


def _answer_field(label: str):
    return models.PositiveSmallIntegerField(null=True, blank=True, help_text=f"{label}: 1–4, empty = not answered.")


class Response(models.Model):
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
