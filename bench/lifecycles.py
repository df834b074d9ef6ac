"""Benchmark: complete dossier lifecycles per second through the service functions.

intake → forward → initial → sign → register → handover, each act its own transaction,
exactly as the counter does it, by several clerks at once (worker processes, as gunicorn
workers would be). Prints counts and ratios measured in this one run; it is not a test and
has no pass/fail timing. Also checks that the register numbers came out 1..N with no gap
and no duplicate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/lifecycles.py [N] [WORKERS]

It creates a throw-away test database (test_<name>) and drops it afterwards.
"""

import logging
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

APPLICANT = {
    "nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah",
    "birth_date": "1990-08-05", "sex": "P", "marital_status": "kawin", "address": "Jl. Bench 1",
    "rt": "1", "rw": "2", "phone": "081234567890",
}


def _context():
    from loket.dossiers.models import Dossier  # noqa: F401
    from loket.offices.models import Office, Staff

    office = Office.objects.get(slug="kartoharjo")
    users = {s.user.username: s.user for s in Staff.objects.select_related("user", "office", "unit")}
    service = office.editions.get(status="active").services.get(code="kk")
    ids = [r.pk for r in service.requirements.filter(condition_key="")]
    return office, users, service, ids


def _lifecycles(count: int, worker: int, start_event, out):
    logging.disable(logging.INFO)
    connections.close_all()  # a forked process must open its own connection
    from loket.dossiers import services

    office, users, service, ids = _context()
    front, kasi, sekcam = users[f"f{worker}"], users["k"], users["s"]
    applicant = {**APPLICANT, "kelurahan": office.kelurahan.first().code}

    def lifecycle():
        d = services.dossier_intake(office=office, service_code=service.code, applicant=applicant, actor=front,
                                    present=ids, originals=ids, answers={"perubahan_kk": False})
        services.dossier_forward(code=d.code, actor=front)
        services.dossier_initial(code=d.code, actor=kasi)
        services.dossier_sign(code=d.code, actor=sekcam)
        services.dossier_register(code=d.code, actor=front)
        services.dossier_handover(code=d.code, actor=front)

    for _ in range(5):  # warm up caches and the connection
        lifecycle()
    start_event.wait()
    t0 = time.perf_counter()
    for _ in range(count):
        lifecycle()
    out.put((worker, time.perf_counter() - t0))
    connections.close_all()


def main(n: int, workers: int) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    logging.disable(logging.INFO)
    # Its own throw-away database, so it never collides with a test run on the same server.
    connection.settings_dict["TEST"]["NAME"] = "test_loket_bench_lifecycles"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from loket.catalog.services import standard_load
        from loket.offices.roles import Role
        from loket.offices.services import roles_sync, staff_create
        from loket.registers.models import RegisterEntry

        roles_sync()
        report = standard_load()
        office = report.office
        unit = report.edition.services.get(code="kk").unit
        mk = lambda u, r, unit=None: staff_create(office=office, username=u, role=r, unit=unit, password="x-bench-pass-1")
        for w in range(workers):
            mk(f"f{w}", Role.FRONT_OFFICE)
        mk("k", Role.KASI, unit)
        mk("s", Role.SEKCAM)
        db_settings = connection.settings_dict.copy()
        connections.close_all()

        ctx = mp.get_context("fork")
        start, out = ctx.Event(), ctx.Queue()
        per = n // workers
        procs = [ctx.Process(target=_lifecycles, args=(per, w, start, out)) for w in range(workers)]
        for p in procs:
            p.start()
        time.sleep(2)  # let every worker finish its warm-up
        t0 = time.perf_counter()
        start.set()
        results = [out.get() for _ in procs]
        elapsed = time.perf_counter() - t0
        for p in procs:
            p.join()
        total = per * workers
        numbers = list(RegisterEntry.objects.order_by("number").values_list("number", flat=True))
        expected = list(range(1, len(numbers) + 1))
        gaps = len(set(expected) - set(numbers))
        duplicates = len(numbers) - len(set(numbers))
        rate = total / elapsed
        print(f"database              {connection.vendor} ({db_settings['NAME']})")
        print(f"workers (clerks)      {workers}")
        print(f"cpu cores             {os.cpu_count()}")
        print(f"lifecycles            {total} (6 acts each, one transaction per act)")
        print(f"seconds               {elapsed:.2f}")
        print(f"lifecycles/second     {rate:.1f}")
        print(f"slowest worker        {max(r[1] for r in results):.2f} s")
        print(f"register numbers      {len(numbers)}, gaps {gaps}, duplicates {duplicates}")
        print(f"ratio to goal 100/s   {rate / 100:.2f}")
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600, int(sys.argv[2]) if len(sys.argv) > 2 else 4)
