"""Benchmark: complete dossier lifecycles per second through the service functions.

intake → forward → initial → sign → register → handover, each act its own transaction,
exactly as the counter does it. Prints counts and ratios measured in this one run; it is
not a test and has no pass/fail timing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/lifecycles.py [N]

It creates a throw-away test database (test_<name>) and drops it afterwards.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def main(n: int) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from loket.catalog.services import standard_load
        from loket.dossiers import services
        from loket.offices.models import Unit
        from loket.offices.roles import Role
        from loket.offices.services import roles_sync, staff_create

        roles_sync()
        report = standard_load()
        office = report.office
        service = report.edition.services.get(code="kk")
        unit = service.unit
        mk = lambda u, r, unit=None: staff_create(office=office, username=u, role=r, unit=unit, password="x-bench-pass-1").user
        front, kasi, sekcam = mk("f", Role.FRONT_OFFICE), mk("k", Role.KASI, unit), mk("s", Role.SEKCAM)
        kel = office.kelurahan.first().code
        ids = [r.pk for r in service.requirements.filter(condition_key="")]
        applicant = {
            "nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah",
            "birth_date": "1990-08-05", "sex": "P", "marital_status": "kawin", "address": "Jl. Bench 1",
            "rt": "1", "rw": "2", "kelurahan": kel, "phone": "081234567890",
        }

        def lifecycle():
            d = services.dossier_intake(office=office, service_code=service.code, applicant=applicant, actor=front,
                                        present=ids, originals=ids, answers={"perubahan_kk": False})
            services.dossier_forward(code=d.code, actor=front)
            services.dossier_initial(code=d.code, actor=kasi)
            services.dossier_sign(code=d.code, actor=sekcam)
            services.dossier_register(code=d.code, actor=front)
            services.dossier_handover(code=d.code, actor=front)

        for _ in range(min(20, n)):  # warm up caches and connections
            lifecycle()
        start = time.perf_counter()
        for _ in range(n):
            lifecycle()
        elapsed = time.perf_counter() - start
        rate = n / elapsed
        print(f"database            {connection.vendor}")
        print(f"lifecycles          {n}")
        print(f"seconds             {elapsed:.2f}")
        print(f"lifecycles/second   {rate:.1f}")
        print(f"ratio to goal 100/s {rate / 100:.2f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
