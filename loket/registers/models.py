"""Register books (buku register) and their entries.

A book is (office, kind, year). Its numbers run 1, 2, 3 … with no gap and no duplicate, also
with many clerks at once: the book row itself is the counter, locked (SELECT … FOR UPDATE)
inside the transaction that writes the entry (Permendagri 32/2011 on the village/kecamatan
administration books; Perwali Madiun 25/2010 on the tata naskah dinas). Entries are
append-only: a correction is a new entry, never an edit.
"""

from django.conf import settings
from django.db import models

from loket.core.history import AppendOnlyModel
from loket.offices.models import Office


class RegisterBook(models.Model):
    """Buku register: one book per office, kind and year."""

    class Kind(models.TextChoices):
        PELAYANAN = "pelayanan", "Buku Register Pelayanan"
        PPAT = "ppat", "Buku Register PPAT"
        PENYEWA = "penyewa", "Buku Register Penyewa"
        KUITANSI = "kuitansi", "Buku Kuitansi Retribusi Sewa Gedung"
        SKRD = "skrd", "Buku Register SKRD Sewa Gedung"
        STS = "sts", "Buku Register STS Retribusi Sewa Gedung"
        PENGADUAN = "pengaduan", "Buku Pengaduan"
        TAMU = "tamu", "Buku Tamu"
        SURAT_KELUAR = "surat_keluar", "Buku Agenda Surat Keluar"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="register_books")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0, help_text="The last number given out in this book.")

    class Meta:
        ordering = ["office", "kind", "-year"]
        constraints = [models.UniqueConstraint(fields=["office", "kind", "year"], name="one_book_per_office_kind_year")]
        verbose_name = "buku register"
        verbose_name_plural = "buku register"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class RegisterEntry(AppendOnlyModel):
    """One numbered line of a register book. What the line records is copied onto it at the
    moment of registration, so the book reads the same even when the dossier changes later."""

    book = models.ForeignKey(RegisterBook, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField()
    entered_at = models.DateTimeField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The clerk; empty for a line the public wrote through the web (a complaint filed online).",
    )
    subject = models.CharField(max_length=400, help_text="What is registered, e.g. the service's name.")
    name = models.CharField(max_length=200, blank=True, help_text="Nama pemohon.")
    nik = models.CharField(max_length=16, blank=True, help_text="NIK pemohon (shown in full to staff only).")
    kelurahan = models.CharField(max_length=120, blank=True)
    signer = models.CharField(max_length=200, blank=True, help_text='Who signed, e.g. "Sekretaris Kecamatan a.n. Camat".')
    reference = models.CharField(max_length=40, blank=True, help_text="Kode berkas or other reference.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["book", "number"]
        constraints = [models.UniqueConstraint(fields=["book", "number"], name="register_number_unique_per_book")]
        verbose_name = "entri register"
        verbose_name_plural = "entri register"

    def __str__(self) -> str:
        return f"{self.number}/{self.book.year}"

    @property
    def number_display(self) -> str:
        return f"{self.number}/{self.book.year}"
