"""``loket retention [--office SLUG] [--apply] [--today YYYY-MM-DD]``: the retention schedule
(UU 27/2022 Pasal 42-44; loket/subjects/retention.py). Without ``--apply`` a dry run: per record
type the period, the cutoff day and how many rows would be anonymised or deleted; nothing is
changed. With ``--apply`` it is done and recorded (privacy.RetentionRun, one per office), and
the command prints what was done. Every office, or the one named; scheduled nightly
(docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loket.core.formats import tanggal
from loket.offices.models import Office
from loket.subjects import retention

KEPT = "disimpan"  # a kind Loket never removes


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal '{value}' tidak sah; tulis TTTT-BB-HH, mis. 2027-01-31.") from None
    if not 2000 <= day.year <= 2100:
        raise CommandError(f"Tanggal '{value}' di luar 2000-2100.")
    return day


class Command(BaseCommand):
    help = ("Jadwal retensi data pribadi (UU 27/2022 Pasal 42-44): tampilkan apa yang akan dianonimkan atau "
            "dihapus (bawaan, tanpa mengubah apa pun), atau lakukan dengan --apply.")

    def add_arguments(self, parser):
        parser.add_argument("--office", help="Slug kantor (bawaan: semua kantor).")
        parser.add_argument("--apply", action="store_true",
                            help="Lakukan: anonimkan dan hapus yang sudah lewat masa simpannya, lalu catat.")
        parser.add_argument("--today", type=_date, default=None,
                            help="Hitung batas dari tanggal ini (TTTT-BB-HH; bawaan: hari ini, WIB).")

    def handle(self, *args, office=None, apply=False, today=None, verbosity=1, **options):
        offices = list(Office.objects.order_by("slug"))
        if office:
            offices = [o for o in offices if o.slug == office]
            if not offices:
                raise CommandError(f"Kantor '{office}' tidak ada.")
        if not offices:
            raise CommandError("Belum ada kantor: jalankan `loket setup` dulu.")
        today = _date(today) if isinstance(today, str) else (today or timezone.localdate())
        by = f"{_who()} (loket retention)"
        for n, o in enumerate(offices):
            if apply:
                run = retention.apply(office=o, today=today, by=by)
                lines = retention.lines_of(run)
                self.stdout.write(self.style.SUCCESS(
                    f"{o.name}: retensi dilaksanakan per {tanggal(today)} (catatan pelaksanaan #{run.pk})."))
                self._table(lines, done=True)
            else:
                lines = retention.plan(office=o, today=today)
                if n and len(offices) > 1:  # the installation's records: shown once, with the first office
                    lines = [line for line in lines if line.scope != "server"]
                self.stdout.write(f"{o.name}: uji coba retensi per {tanggal(today)} (tidak ada yang diubah).")
                self._table(lines, done=False, sources=verbosity > 1)
        if not apply:
            self.stdout.write("Jalankan dengan --apply untuk melaksanakannya.")

    def _table(self, lines, *, done: bool, sources: bool = False):
        heads = ("Jenis catatan", "Masa", "Batas", "Dianonimkan" if done else "Akan dianonimkan",
                 "Dihapus" if done else "Akan dihapus")
        rows = []
        for line in lines:
            if line.kept:
                rows.append((line.label, KEPT, "-", "-", "-"))
                continue
            rows.append((line.label + (" (server)" if line.scope == "server" else ""), f"{line.months} bln",
                         line.cutoff.isoformat(), str(line.anonymise), str(line.delete)))
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(heads)]
        fmt = "  ".join("{:<%d}" % w if i == 0 else "{:>%d}" % w for i, w in enumerate(widths))
        self.stdout.write("  " + fmt.format(*heads))
        for row in rows:
            self.stdout.write("  " + fmt.format(*row))
        total_a = sum(line.anonymise for line in lines)
        total_d = sum(line.delete for line in lines)
        self.stdout.write(f"  Jumlah: {total_a} baris dianonimkan, {total_d} dihapus" if done else
                          f"  Jumlah: {total_a} baris akan dianonimkan, {total_d} akan dihapus")
        if sources:
            for line in lines:
                self.stdout.write(f"  - {line.label}: {line.source}")


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a container without one)
        return "sistem"
