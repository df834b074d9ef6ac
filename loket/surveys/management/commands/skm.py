"""``loket skm ikm --csv FILE [--weight exact|0.111|0.11] [--json]``: the IKM of a file of paper
forms (CSV or XLSX in the import layout of loket.surveys.importer), without touching the
database. A bad file prints every bad row and exits with status 2."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from loket.surveys import ikm as ikm_
from loket.surveys.importer import ImportRefused, parse, read_cells


class Command(BaseCommand):
    help = "Survei Kepuasan Masyarakat (Permenpan RB 14/2017). Sub-perintah: ikm."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("ikm", help="Hitung IKM dari berkas CSV/XLSX tanpa menyentuh basis data.")
        p.add_argument("--csv", required=True, metavar="FILE", help="Berkas CSV atau XLSX (judul kolom: kunci unsur).")
        p.add_argument("--weight", choices=list(ikm_.WEIGHTS), default="exact",
                       help="Bobot tiap unsur: exact (1/9, bawaan), 0.111 atau 0.11.")
        p.add_argument("--json", action="store_true", help="Cetak satu objek JSON.")

    def handle(self, *args, action=None, csv=None, weight="exact", json=False, **options):
        try:
            rows = parse(read_cells(csv))
        except FileNotFoundError:
            raise CommandError(f"Berkas {csv} tidak ditemukan.") from None
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            sys.exit(2)
        try:
            result = ikm_.ikm([r.answers for r in rows], weight=weight)
        except ikm_.IkmError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if json:
            self.stdout.write(_json.dumps(result.as_json(), ensure_ascii=False))
            return
        out = result.as_json()
        self.stdout.write(f"Responden: {out['respondents']}  (bobot {out['weight']})")
        for e in out["elements"]:
            self.stdout.write(f"  {e['name']:<42} NRR {e['nrr']:.4f}  tertimbang {e['weighted']:.4f}")
        self.stdout.write(f"IKM {out['ikm']:.4f}  ·  IKM unit {out['ikm_unit']:.2f}  ·  mutu {out['grade']} ({out['label']})")


_json = json
